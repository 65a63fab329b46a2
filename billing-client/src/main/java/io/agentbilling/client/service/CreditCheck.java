package io.agentbilling.client.service;

/**
 * The credit gate's answer.
 *
 * @param reason {@code insufficient_credits} when refused; null when allowed
 */
public record CreditCheck(boolean allowed, long balanceCents, long availableCents, String reason) {
}
