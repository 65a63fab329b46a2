package io.agentbilling.http.routes;

import io.agentbilling.core.error.BillingException;
import io.javalin.http.Context;

/**
 * The idempotency rules every write route shares (spec/API.md Part B): where the key comes from, and how a replay is
 * answered. The use cases decide what a key means (replay or {@code idempotency_conflict}); this only carries it.
 */
public final class Idempotency {
    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private Idempotency() {
    }

    /**
     * The request's key: the body's {@code idempotencyKey} or the {@code Idempotency-Key} header. Both may be sent
     * only when equal (else 400 naming {@code idempotencyKey}); {@code null} when neither is, which the use case
     * refuses where a key is required. A blank header counts as absent.
     */
    public static String key(Context ctx, String bodyKey) {
        String header = ctx.header(HEADER);
        if (header == null || header.isBlank()) {
            return bodyKey;
        }
        if (bodyKey != null && !bodyKey.equals(header)) {
            throw BillingException.invalid("idempotencyKey",
                    "differs from the Idempotency-Key header; send the key once, or the same key in both");
        }
        return header;
    }

    /** Refuses the header where a request has no single key (a batch: each event carries its own). */
    public static void refuseHeader(Context ctx, String why) {
        if (ctx.header(HEADER) != null) {
            throw BillingException.invalid(HEADER, why);
        }
    }

    /**
     * The answer of an idempotent write: the route's own status the first time (200 for a settlement, 201 for a
     * creation); a replay is 200 with {@code Idempotent-Replayed: true} and the original result.
     */
    public static Reply reply(Object data, boolean replayed) {
        Reply reply = Reply.ok(data);
        return replayed ? reply.withStatus(200).withHeader(REPLAYED_HEADER, "true") : reply;
    }
}
