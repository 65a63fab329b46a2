package io.agentbilling.client.billing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Which credit history to read ({@code GET /v1/billing/credits/history}); every part is optional.
 *
 * @param orgId    null = the caller's organization
 * @param pageSize entries per request, 1..500; null = the server's default (50)
 * @param types    entry types to keep; empty = all
 * @param from     entries created at or after this instant; null = from the beginning
 * @param to       entries created before this instant; null = up to now
 */
public record HistoryQuery(UUID orgId, Integer pageSize, List<String> types, Instant from, Instant to) {
    public HistoryQuery {
        types = types == null ? List.of() : List.copyOf(types);
        if (pageSize != null && (pageSize < 1 || pageSize > 500)) {
            throw new IllegalArgumentException("pageSize must be 1..500");
        }
    }

    /**
     * The caller's whole history, newest first.
     */
    public static HistoryQuery all() {
        return new HistoryQuery(null, null, List.of(), null, null);
    }

    /**
     * A copy with another organization id.
     *
     * @param org the organization
     */
    public HistoryQuery withOrgId(UUID org) {
        return new HistoryQuery(org, pageSize, types, from, to);
    }

    /**
     * A copy with another page size.
     *
     * @param size the sandbox size
     */
    public HistoryQuery withPageSize(int size) {
        return new HistoryQuery(orgId, size, types, from, to);
    }

    /**
     * A copy with another types.
     */
    public HistoryQuery withTypes(String... entryTypes) {
        return new HistoryQuery(orgId, pageSize, List.of(entryTypes), from, to);
    }

    /**
     * A copy with another range.
     */
    public HistoryQuery withRange(Instant fromInclusive, Instant toExclusive) {
        return new HistoryQuery(orgId, pageSize, types, fromInclusive, toExclusive);
    }
}
