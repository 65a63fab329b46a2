package io.agentbilling.jdbc;

import io.agentbilling.core.port.SandboxMeterStore;
import org.jdbi.v3.core.Handle;

/** {@link SandboxMeterStore} on PostgreSQL. */
final class JdbiSandboxMeterStore implements SandboxMeterStore {
    private final Handle handle;

    JdbiSandboxMeterStore(Handle handle) {
        this.handle = handle;
    }
}
