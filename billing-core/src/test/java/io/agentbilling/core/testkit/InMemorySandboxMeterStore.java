package io.agentbilling.core.testkit;

import io.agentbilling.core.port.SandboxMeterStore;

/** In-memory {@link SandboxMeterStore}. */
final class InMemorySandboxMeterStore implements SandboxMeterStore {
    private final InMemoryTransactions tx;

    InMemorySandboxMeterStore(InMemoryTransactions tx) {
        this.tx = tx;
    }
}
