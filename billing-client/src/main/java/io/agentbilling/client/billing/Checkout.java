package io.agentbilling.client.billing;

import java.util.UUID;

/**
 * A checkout session's state ({@code GET /v1/billing/success}).
 *
 * @param status   {@code paid}, {@code unpaid}, {@code open} or {@code expired}
 * @param credited the top-up is on the ledger (exactly once, whoever got there first)
 * @param entryId  the top-up's ledger entry; null until credited
 */
public record Checkout(String sessionId, String status, long amountCents, boolean credited, long balanceCents,
                       long balanceMicros, UUID entryId) {
}
