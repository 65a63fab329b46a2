package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Posting;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Validation shared by command records, and the one home of the rules for what the engine can store: text and
 * instants. Every adapter must be able to keep what these rules accept exactly, so a value that passes them is never
 * refused by the database; one that does not is refused here, with a 400 naming the field.
 */
public final class Commands {
    public static final int MAX_REFERENCE_LENGTH = 255;
    /**
     * The earliest and latest instants the engine keeps: the years 0001 to 9999, to the microsecond. PostgreSQL has
     * no year 0 (ISO year 0000 is its 1 BC, which its input refuses) and keeps microseconds; an RFC 3339 timestamp
     * cannot write a year past 9999.
     */
    public static final Instant EARLIEST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59.999999Z");

    /**
     * A required idempotency key: the rules of every key, wherever it is given (a write's field, the
     * {@code Idempotency-Key} header): 1 to {@link Posting#MAX_KEY_LENGTH} characters, not blank, no control
     * characters, storable text.
     *
     * @param key the key
     * @return {@code key}
     * @throws BillingException {@code BAD_REQUEST} naming {@code idempotencyKey} when it is missing or breaks a rule
     */
    public static String requireIdempotencyKey(String key) {
        if (key == null) {
            throw BillingException.invalid("idempotencyKey", "is required");
        }
        return optionalIdempotencyKey(key, Posting.MAX_KEY_LENGTH);
    }

    /**
     * An optional idempotency key (null: none), under the rules of {@link #requireIdempotencyKey}.
     *
     * @param key the key, or null
     * @return {@code key}
     * @throws BillingException {@code BAD_REQUEST} naming {@code idempotencyKey} when it breaks a rule
     */
    public static String optionalIdempotencyKey(String key) {
        return optionalIdempotencyKey(key, Posting.MAX_KEY_LENGTH);
    }

    /** An optional key of at most {@code maxLength} characters (a key stored under a prefix has less room). */
    static String optionalIdempotencyKey(String key, int maxLength) {
        if (key == null) {
            return null;
        }
        if (key.isBlank()) {
            throw BillingException.invalid("idempotencyKey", "must not be blank");
        }
        if (key.length() > maxLength) {
            throw BillingException.invalid("idempotencyKey", "must have at most " + maxLength + " characters");
        }
        if (key.chars().anyMatch(Character::isISOControl)) {
            throw BillingException.invalid("idempotencyKey", "must not contain control characters");
        }
        return requireStorableText("idempotencyKey", key);
    }

    /**
     * @param field the request field this is about, named in a refusal
     */
    public static void requireOptionalText(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw BillingException.invalid(field, "must have at most " + maxLength + " characters");
        }
        requireStorableText(field, value);
    }

    /**
     * What is wrong with {@code value} as stored text, or {@code null} when it can be kept exactly: anything Unicode
     * can say except U+0000 (PostgreSQL's {@code text} cannot hold it) and an unpaired UTF-16 surrogate (it has no
     * UTF-8 encoding, so it would come back changed, and an idempotency key would no longer match itself).
     */
    public static String textProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "must not contain NUL (U+0000) characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode text (it holds an unpaired surrogate)";
            }
        }
        return null;
    }

    /**
     * A 400 naming {@code field} when {@code value} (null allowed) cannot be stored exactly; see {@link
     * #textProblem}.
     *
     * @param field the request field this is about, named in a refusal
     */
    public static String requireStorableText(String field, String value) {
        String problem = value == null ? null : textProblem(value);
        if (problem != null) {
            throw BillingException.invalid(field, problem);
        }
        return value;
    }

    /**
     * {@code value} (null allowed) truncated to the microsecond the engine keeps, or a 400 naming {@code field} when it
     * lies outside the years 0001 to 9999.
     *
     * @param field the request field this is about, named in a refusal
     */
    public static Instant requireStorableInstant(String field, Instant value) {
        if (value == null) {
            return null;
        }
        Instant kept = value.truncatedTo(ChronoUnit.MICROS);
        if (kept.isBefore(EARLIEST_INSTANT) || kept.isAfter(LATEST_INSTANT)) {
            throw BillingException.invalid(field, "must be in the years 0001 to 9999");
        }
        return kept;
    }

    /** {@code value} moved into the years the engine keeps: for bounds of a search, where "before year 1" means "all". */
    static Instant clampToStorable(Instant value) {
        if (value == null) {
            return null;
        }
        Instant kept = value.truncatedTo(ChronoUnit.MICROS);
        return kept.isBefore(EARLIEST_INSTANT) ? EARLIEST_INSTANT : kept.isAfter(LATEST_INSTANT) ? LATEST_INSTANT : kept;
    }
}
