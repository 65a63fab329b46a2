package io.agentbilling.client.billing;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the credit history. {@code type}: {@code grant}, {@code signup_grant}, {@code topup},
 * {@code auto_topup}, {@code usage}, {@code refund}, {@code adjustment}, {@code expiry}, {@code reversal}. Entries
 * chain exactly: {@code balanceAfterMicros(n) == balanceAfterMicros(n-1) + amountMicros(n)}.
 */
public record LedgerEntry(UUID id, UUID orgId, String type, long amountCents, long amountMicros, String resource,
                          String description, String referenceId, long balanceAfterCents, long balanceAfterMicros,
                          Instant createdAt) {
}
