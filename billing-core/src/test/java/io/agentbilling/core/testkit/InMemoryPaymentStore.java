package io.agentbilling.core.testkit;

import io.agentbilling.core.port.PaymentStore;

/** In-memory {@link PaymentStore}. */
final class InMemoryPaymentStore implements PaymentStore {
    private final InMemoryTransactions tx;

    InMemoryPaymentStore(InMemoryTransactions tx) {
        this.tx = tx;
    }
}
