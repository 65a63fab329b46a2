package io.agentbilling.core.payment;

import java.util.Objects;
import java.util.UUID;

/** Identifies one auto top-up attempt; the payment idempotency key derives from it. */
public record AutoTopupAttemptId(UUID value) {
    public AutoTopupAttemptId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Creates one of the given values.
     *
     * @return the auto topup attempt id
     */
    public static AutoTopupAttemptId of(String value) {
        return new AutoTopupAttemptId(UUID.fromString(value));
    }

    public static AutoTopupAttemptId random() {
        return new AutoTopupAttemptId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
