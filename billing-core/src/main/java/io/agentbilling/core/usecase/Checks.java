package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;

/** Input checks shared by the use cases; each failure is a 400 naming the field. */
final class Checks {
    /** Model ids, tool, resource, workspace and sandbox names. */
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_UNIT_LENGTH = 50;
    static final int MAX_REFERENCE_LENGTH = 255;
    static final int MAX_DESCRIPTION_LENGTH = 1000;
    /**
     * Ceilings on the counts one settlement reports: generous beyond any real call, and far enough below
     * {@link Long#MAX_VALUE} that the daily rollups and the usage report's sums of them stay exact (a call reporting
     * 2^63 - 1 free BYOK tokens was accepted, and the org's usage report then failed on every read).
     */
    static final long MAX_TOKENS = 1_000_000_000_000L;
    static final long MAX_EXECUTIONS = 1_000_000_000L;
    static final long MAX_QUANTITY = 1_000_000_000_000_000L;
    private Checks() {}

    static <T> T required(String field, T value) {
        if (value == null) {
            throw BillingException.invalid(field, "is required");
        }
        return value;
    }

    /** A required, non-blank string of at most {@code max} characters. */
    static String name(String field, String value, int max) {
        required(field, value);
        if (value.isBlank()) {
            throw BillingException.invalid(field, "must not be blank");
        }
        return optional(field, value, max);
    }

    /** An optional string (null allowed) of at most {@code max} characters, storable as it is. */
    static String optional(String field, String value, int max) {
        Commands.requireOptionalText(field, value, max);
        return value;
    }

    static String idempotencyKey(String value) {
        return Commands.requireIdempotencyKey(value);
    }

    static String referenceId(String value) {
        return optional("referenceId", value, MAX_REFERENCE_LENGTH);
    }

    static String description(String value) {
        return optional("description", value, MAX_DESCRIPTION_LENGTH);
    }

    /**
     * An optional value as an idempotency fingerprint sees it: absent when it is missing or spells out what absent
     * means ({@code ""}, or a default it equals), so that a retry naming the default is the same request as one that
     * leaves it out. Mapped to absent rather than to the default, so the usual request (which leaves it out) keeps
     * the fingerprint it always had.
     */
    static String canonical(String value, String... defaults) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        for (String defaultValue : defaults) {
            if (value.equals(defaultValue)) {
                return null;
            }
        }
        return value;
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw BillingException.invalid(field, "must be >= 0");
        }
        return value;
    }

    static long atMost(String field, long value, long max) {
        if (value > max) {
            throw BillingException.invalid(field, "must be <= " + max);
        }
        return value;
    }

    static long positive(String field, long value) {
        if (value <= 0) {
            throw BillingException.invalid(field, "must be > 0");
        }
        return value;
    }
}
