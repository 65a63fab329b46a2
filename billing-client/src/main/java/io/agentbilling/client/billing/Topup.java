package io.agentbilling.client.billing;

/**
 * An opened checkout session: send the customer to {@code checkoutUrl}; nothing is credited until it is paid.
 *
 * @param replayed the idempotency key had opened this session before ({@code Idempotent-Replayed: true})
 */
public record Topup(String checkoutUrl, String sessionId, long amountCents, boolean replayed) {
}
