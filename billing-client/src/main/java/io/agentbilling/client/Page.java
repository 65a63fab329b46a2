package io.agentbilling.client;

import java.util.List;

/**
 * One page of a list: its items, whether more follow, and the cursor of the next page ({@code meta.nextCursor}, null
 * on the last page).
 */
public record Page<T>(List<T> items, boolean hasMore, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
