package io.agentbilling.core.ledger;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A page of an org's ledger, newest first, by keyset: entries with a sequence below {@code beforeSequence}
 * (null = from the newest). Optional filters: entry types, and {@code [from, to)} on creation time.
 */
public record HistoryQuery(OrgId orgId, Long beforeSequence, int limit, Set<EntryType> types, Instant from, Instant to) {
    public static final int MAX_LIMIT = 500;

    /**
     * @param from the start (inclusive)
     * @param limit at most this many
     * @param orgId the organization
     * @param to the end (exclusive)
     */
    public HistoryQuery {
        Objects.requireNonNull(orgId, "orgId");
        types = types == null ? Set.of() : Set.copyOf(types);
        if (limit < 1 || limit > MAX_LIMIT + 1) {
            throw new IllegalArgumentException("limit out of range: " + limit);
        }
    }
}
