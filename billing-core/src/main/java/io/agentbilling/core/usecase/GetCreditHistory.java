package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.HistoryQuery;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.port.Transactions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A page of an org's ledger, newest first (API.md A3), by keyset on the entry sequence. The cursor is opaque to
 * clients: it encodes the org and the sequence to continue below, so a cursor of another org is refused.
 */
public final class GetCreditHistory {
    public static final int DEFAULT_LIMIT = 50;

    private final Transactions transactions;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     */
    public GetCreditHistory(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }
    /** Which page of the ledger to read. Checked when built. */
    public static final class Query {
        private final OrgId orgId;
        private final Integer limit;
        private final String cursor;
        private final Set<EntryType> types;
        private final Instant from;
        private final Instant to;

        private Query(Builder b) {
            if (b.limit != null && (b.limit < 1 || b.limit > HistoryQuery.MAX_LIMIT)) {
                throw BillingException.invalid("limit", "must be between 1 and " + HistoryQuery.MAX_LIMIT);
            }
            if (b.from != null && b.to != null && !b.from.isBefore(b.to)) {
                throw BillingException.invalid("from", "must be before to");
            }
            // Bounds of a search, not values to keep: one before year 1 or after 9999 means "no bound" there.
            this.from = Commands.clampToStorable(b.from);
            this.to = Commands.clampToStorable(b.to);
            this.orgId = b.orgId;
            this.limit = b.limit;
            this.cursor = b.cursor;
            this.types = b.types;
        }

        /**
         * A builder with every field unset (null, 0 or false); set fields by name, then build().
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The org; null = the caller's (for {@link GetCreditHistory#execute}).
         *
         * @return the orgId
         */
        public OrgId orgId() {
            return orgId;
        }

        /**
         * Entries per page, 1 to {@value HistoryQuery#MAX_LIMIT}; null = {@value GetCreditHistory#DEFAULT_LIMIT}.
         *
         * @return the limit
         */
        public Integer limit() {
            return limit;
        }

        /**
         * Where the previous page ended (its {@code nextCursor}); null = the newest entries.
         *
         * @return the cursor
         */
        public String cursor() {
            return cursor;
        }

        /**
         * Only entries of these types; null or empty = every type.
         *
         * @return the types
         */
        public Set<EntryType> types() {
            return types;
        }

        /**
         * Only entries created at or after this; optional.
         *
         * @return the from
         */
        public Instant from() {
            return from;
        }

        /**
         * Only entries created before this; optional.
         *
         * @return the to
         */
        public Instant to() {
            return to;
        }

        @Override
        public String toString() {
            return "GetCreditHistory.Query[" + "orgId=" + orgId + ", limit=" + limit + ", cursor=" + cursor
                    + ", types=" + types + ", from=" + from + ", to=" + to + "]";
        }

        /** Sets the fields of a {@link Query} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private Integer limit;
            private String cursor;
            private Set<EntryType> types;
            private Instant from;
            private Instant to;

            private Builder() {
            }

            /**
             * Sets the org; null = the caller's (for {@link GetCreditHistory#execute}).
             *
             * @param orgId the value
             * @return this builder
             */
            public Builder orgId(OrgId orgId) {
                this.orgId = orgId;
                return this;
            }

            /**
             * Sets entries per page, 1 to {@value HistoryQuery#MAX_LIMIT}; unset = {@value
             * GetCreditHistory#DEFAULT_LIMIT}.
             *
             * @param limit the value
             * @return this builder
             */
            public Builder limit(int limit) {
                this.limit = limit;
                return this;
            }

            /**
             * Sets where the previous page ended (its {@code nextCursor}); null = the newest entries.
             *
             * @param cursor the value
             * @return this builder
             */
            public Builder cursor(String cursor) {
                this.cursor = cursor;
                return this;
            }

            /**
             * Sets only entries of these types; null or empty = every type.
             *
             * @param types the value
             * @return this builder
             */
            public Builder types(Set<EntryType> types) {
                this.types = types;
                return this;
            }

            /**
             * Sets only entries created at or after this; optional.
             *
             * @param from the value
             * @return this builder
             */
            public Builder from(Instant from) {
                this.from = from;
                return this;
            }

            /**
             * Sets only entries created before this; optional.
             *
             * @param to the value
             * @return this builder
             */
            public Builder to(Instant to) {
                this.to = to;
                return this;
            }

            /**
             * The command.
             *
             * @return a command with the fields set so far
             * @throws BillingException {@code BAD_REQUEST} naming {@code limit} or {@code from} when out of range
             */
            public Query build() {
                return new Query(this);
            }
        }
    }

    /** The page and, when more entries follow, the cursor to fetch them. */
    public record Page(OrgId orgId, List<LedgerEntry> entries, boolean hasMore, String nextCursor) {}

    /**
     * A page of the ledger of the caller's org (or the org the query names, which must be the caller's).
     *
     * @param caller the member asking
     * @param query which page
     * @return the page
     * @throws BillingException {@code FORBIDDEN} for another org than the caller's; {@code NOT_FOUND} when the org
     *                          does not exist; {@code BAD_REQUEST} naming {@code cursor} for a cursor of another org
     *                          or a malformed one
     */
    public Page execute(Caller caller, Query query) {
        return forOrg(caller.resolveOrg(query.orgId()), query);
    }

    /**
     * The newest page of {@code orgId}'s ledger ({@value #DEFAULT_LIMIT} entries), for a caller that is not a member
     * of it: a service, an operator, a test.
     *
     * @param orgId the org
     * @return the page
     * @throws BillingException {@code NOT_FOUND} when the org does not exist
     */
    public Page forOrg(OrgId orgId) {
        return forOrg(orgId, Query.builder().build());
    }

    /**
     * A page of {@code orgId}'s ledger, for a caller that is not a member of it.
     *
     * @param orgId the org
     * @param query which page; its own {@code orgId}, if set, must be {@code orgId}
     * @return the page
     * @throws BillingException {@code NOT_FOUND} when the org does not exist, {@code BAD_REQUEST} naming
     *                          {@code cursor} for a cursor of another org or a malformed one
     */
    public Page forOrg(OrgId orgId, Query query) {
        Objects.requireNonNull(orgId, "orgId");
        if (query.orgId() != null && !query.orgId().equals(orgId)) {
            throw new IllegalArgumentException("the query names another org than " + orgId);
        }
        int limit = query.limit() == null ? DEFAULT_LIMIT : query.limit();
        Long before = query.cursor() == null ? null : decodeCursor(query.cursor(), orgId);
        HistoryQuery page = new HistoryQuery(orgId, before, limit + 1, query.types(), query.from(), query.to());
        List<LedgerEntry> found = transactions.read(stores -> {
            if (stores.ledger().findAccount(orgId).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            return stores.ledger().history(page);
        });
        boolean hasMore = found.size() > limit;
        List<LedgerEntry> entries = hasMore ? found.subList(0, limit) : found;
        String next = hasMore ? encodeCursor(orgId, entries.get(entries.size() - 1).sequence()) : null;
        return new Page(orgId, List.copyOf(entries), hasMore, next);
    }

    static String encodeCursor(OrgId orgId, long beforeSequence) {
        String raw = "v1:" + orgId + ":" + beforeSequence;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static long decodeCursor(String cursor, OrgId orgId) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = raw.split(":");
            if (parts.length != 3 || !parts[0].equals("v1") || !parts[1].equals(orgId.toString())) {
                throw BillingException.invalid("cursor", "is not a cursor of this organization's history");
            }
            long sequence = Long.parseLong(parts[2]);
            if (sequence < 1) {
                throw BillingException.invalid("cursor", "is malformed");
            }
            return sequence;
        } catch (IllegalArgumentException e) {
            throw BillingException.invalid("cursor", "is malformed");
        }
    }
}
