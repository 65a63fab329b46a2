package io.agentbilling.client.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.UUID;

/**
 * Charges settled runtime seconds of a sandbox ({@code POST …/sandbox-runtime/{sandboxId}/settle}).
 *
 * @param forgivenSeconds seconds the caller waives (recorded, not charged); null = 0
 * @param finalSettlement the sandbox stopped and this is its last settlement: the meter closes ({@code final})
 * @param holdId          a hold to capture with this settlement (the actual charge is made and the rest released);
 *                        null for none, or for the hold the meter was started with, which its settlements capture
 *                        anyway
 */
public record SandboxSettle(long seconds, Long forgivenSeconds, @JsonProperty("final") boolean finalSettlement,
                            String idempotencyKey, UUID holdId) {

    /** A settlement capturing no hold of its own, as before spend controls. */
    public SandboxSettle(long seconds, Long forgivenSeconds, boolean finalSettlement, String idempotencyKey) {
        this(seconds, forgivenSeconds, finalSettlement, idempotencyKey, null);
    }

    /**
     * Creates one of the given values.
     *
     * @param seconds runtime seconds
     */
    public static SandboxSettle of(long seconds, boolean finalSettlement) {
        return new SandboxSettle(seconds, null, finalSettlement, null);
    }

    /**
     * A copy with another forgiven seconds.
     */
    public SandboxSettle withForgivenSeconds(long forgiven) {
        return new SandboxSettle(seconds, forgiven, finalSettlement, idempotencyKey, holdId);
    }

    /**
     * A copy with another idempotency key.
     */
    public SandboxSettle withIdempotencyKey(String key) {
        return new SandboxSettle(seconds, forgivenSeconds, finalSettlement, key, holdId);
    }

    /**
     * A copy capturing this hold.
     *
     * @param hold the hold's id; null for none
     */
    public SandboxSettle withHoldId(UUID hold) {
        return new SandboxSettle(seconds, forgivenSeconds, finalSettlement, idempotencyKey, hold);
    }
}
