package io.agentbilling.client.service;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Charges settled runtime seconds of a sandbox ({@code POST …/sandbox-runtime/{sandboxId}/settle}).
 *
 * @param forgivenSeconds seconds the caller waives (recorded, not charged); null = 0
 * @param finalSettlement the sandbox stopped and this is its last settlement: the meter closes ({@code final})
 */
public record SandboxSettle(long seconds, Long forgivenSeconds, @JsonProperty("final") boolean finalSettlement,
                            String idempotencyKey) {

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
        return new SandboxSettle(seconds, forgiven, finalSettlement, idempotencyKey);
    }

    /**
     * A copy with another idempotency key.
     */
    public SandboxSettle withIdempotencyKey(String key) {
        return new SandboxSettle(seconds, forgivenSeconds, finalSettlement, key);
    }
}
