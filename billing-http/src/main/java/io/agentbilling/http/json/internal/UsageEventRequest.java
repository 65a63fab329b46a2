package io.agentbilling.http.json.internal;

import io.agentbilling.core.usecase.SettlementCommand;

/** A request that settles one usage event: a single settlement route's body, and a batch event of its type. */
public interface UsageEventRequest {
    /** The body's own {@code idempotencyKey}. */
    String idempotencyKey();

    /** The core command, with the key in effect (the body's, or the header's on a single route). */
    SettlementCommand toCommand(String idempotencyKey);
}
