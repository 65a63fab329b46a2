package io.agentbilling.client.billing;

/**
 * The credit balance and ledger totals ({@code GET /v1/billing/credits}):
 * {@code balanceCents == totalGrantedCents - totalUsedCents - expiredCents - refundedToCardCents}, exactly, and the
 * same in micros.
 */
public record Credits(long balanceCents, long balanceMicros, long totalGrantedCents, long totalGrantedMicros,
                      long totalUsedCents, long totalUsedMicros, boolean freeCreditsUsed, long expiredCents,
                      long expiredMicros, long refundedToCardCents, long refundedToCardMicros, long heldCents,
                      long availableCents) {
}
