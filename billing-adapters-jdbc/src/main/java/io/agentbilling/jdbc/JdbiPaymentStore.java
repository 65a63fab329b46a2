package io.agentbilling.jdbc;

import io.agentbilling.core.port.PaymentStore;
import org.jdbi.v3.core.Handle;

/** {@link PaymentStore} on PostgreSQL. */
final class JdbiPaymentStore implements PaymentStore {
    private final Handle handle;

    JdbiPaymentStore(Handle handle) {
        this.handle = handle;
    }
}
