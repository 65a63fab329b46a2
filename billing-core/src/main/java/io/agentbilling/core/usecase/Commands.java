package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Posting;

/** Validation shared by command records. */
public final class Commands {
    public static final int MAX_REFERENCE_LENGTH = 255;

    private Commands() {}

    public static void requireIdempotencyKey(String key) {
        if (key == null || key.isBlank()) {
            throw BillingException.invalid("idempotencyKey", "is required (body field or Idempotency-Key header)");
        }
        if (key.length() > Posting.MAX_KEY_LENGTH) {
            throw BillingException.invalid("idempotencyKey", "must have at most " + Posting.MAX_KEY_LENGTH + " characters");
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw BillingException.invalid("idempotencyKey", "must not contain control characters");
        }
    }

    public static void requireOptionalText(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw BillingException.invalid(field, "must have at most " + maxLength + " characters");
        }
    }
}
