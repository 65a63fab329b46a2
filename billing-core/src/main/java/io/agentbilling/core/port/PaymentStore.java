package io.agentbilling.core.port;

/** Payment state: provider customers and saved cards, checkout sessions, webhook events, auto top-up. */
public interface PaymentStore {
}
