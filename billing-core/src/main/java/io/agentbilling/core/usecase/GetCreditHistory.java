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

    public GetCreditHistory(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }

    /** @param limit null = 50; cursor, types, from, to optional */
    public record Query(OrgId orgId, Integer limit, String cursor, Set<EntryType> types, Instant from, Instant to) {
        public Query {
            if (limit != null && (limit < 1 || limit > HistoryQuery.MAX_LIMIT)) {
                throw BillingException.invalid("limit", "must be between 1 and " + HistoryQuery.MAX_LIMIT);
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw BillingException.invalid("from", "must be before to");
            }
            // Bounds of a search, not values to keep: one before year 1 or after 9999 means "no bound" there.
            from = Commands.clampToStorable(from);
            to = Commands.clampToStorable(to);
        }
    }

    /** The page and, when more entries follow, the cursor to fetch them. */
    public record Page(OrgId orgId, List<LedgerEntry> entries, boolean hasMore, String nextCursor) {}

    public Page execute(Caller caller, Query query) {
        return forOrg(caller.resolveOrg(query.orgId()), query);
    }

    /** A page of {@code orgId}'s ledger, for a caller that is not a member (a service, an operator, a test). */
    public Page forOrg(OrgId orgId, Query query) {
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
