package io.agentbilling.http.routes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a route handler returns; the server wraps it in the envelope of spec/API.md §0. Immutable.
 *
 * <pre>{@code
 * return Reply.ok(view);                                   // {"data": view, "meta": {"requestId": …}}
 * return Reply.list(entries, page.hasMore(), page.next()); // data is the array; meta adds hasMore, nextCursor
 * return Reply.ok(result).withStatus(200).withHeader("Idempotent-Replayed", "true");
 * }</pre>
 */
public final class Reply {
    /** Use the route's declared success status. */
    static final int ROUTE_DEFAULT_STATUS = 0;

    enum Kind { DATA, LIST, EMPTY }

    private final Kind kind;
    private final Object data;
    private final boolean hasMore;
    private final String nextCursor;
    private final int status;
    private final Map<String, String> headers;

    private Reply(Kind kind, Object data, boolean hasMore, String nextCursor, int status, Map<String, String> headers) {
        this.kind = kind;
        this.data = data;
        this.hasMore = hasMore;
        this.nextCursor = nextCursor;
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    /** One object under {@code data}, with the route's declared status (200 unless it says otherwise). */
    public static Reply ok(Object data) {
        return new Reply(Kind.DATA, Objects.requireNonNull(data, "data"), false, null, ROUTE_DEFAULT_STATUS, Map.of());
    }

    /** One object under {@code data}, with 201 Created. */
    public static Reply created(Object data) {
        return ok(data).withStatus(201);
    }

    /**
     * One page of a list: {@code data} is the array, {@code meta.hasMore} says whether another page exists and
     * {@code meta.nextCursor} is the opaque cursor to fetch it ({@code null} on the last page).
     */
    public static Reply list(List<?> items, boolean hasMore, String nextCursor) {
        Objects.requireNonNull(items, "items");
        if (hasMore && nextCursor == null) {
            throw new IllegalArgumentException("a page with more items needs a next cursor");
        }
        return new Reply(Kind.LIST, List.copyOf(items), hasMore, hasMore ? nextCursor : null,
                ROUTE_DEFAULT_STATUS, Map.of());
    }

    /** A whole list in one page. */
    public static Reply list(List<?> items) {
        return list(items, false, null);
    }

    /** 204 No Content, no body. */
    public static Reply noContent() {
        return new Reply(Kind.EMPTY, null, false, null, 204, Map.of());
    }

    public Reply withStatus(int newStatus) {
        if (newStatus < 200 || newStatus > 299) {
            throw new IllegalArgumentException("a reply is a success; errors are thrown as BillingException");
        }
        return new Reply(kind, data, hasMore, nextCursor, newStatus, headers);
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new Reply(kind, data, hasMore, nextCursor, status, more);
    }

    Kind kind() {
        return kind;
    }

    Object data() {
        return data;
    }

    boolean hasMore() {
        return hasMore;
    }

    String nextCursor() {
        return nextCursor;
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }
}
