package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.pricing.PriceCatalog;
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
     * The largest amount one write may name, in micros: one billion dollars ({@link PriceCatalog#MAX_CHARGE_MICROS}).
     * Far above any real charge or grant, and far enough below the ledger's {@code long} of micros that no plausible
     * sum of writes overflows an account.
     */
    public static final long MAX_AMOUNT_MICROS = PriceCatalog.MAX_CHARGE_MICROS;

    private Commands() {}

    /** A 400 naming {@code field} (a field in cents) when {@code amount} is past the bound either way. */
    public static Credits requireAmountWithinBound(String field, Credits amount) {
        if (amount.micros() > MAX_AMOUNT_MICROS || amount.micros() < -MAX_AMOUNT_MICROS) {
            long cents = MAX_AMOUNT_MICROS / Credits.MICROS_PER_CENT;
            throw BillingException.invalid(field, "must be between " + -cents + " and " + cents + " cents");
        }
        return amount;
    }

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
        requireStorableText("idempotencyKey", key);
    }

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

    /** A 400 naming {@code field} when {@code value} (null allowed) cannot be stored exactly; see {@link #textProblem}. */
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
