package io.agentbilling.jdbc;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.port.SandboxMeterStore;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.usage.SandboxMeter;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@link SandboxMeterStore} on PostgreSQL (being written on the jdbc-meters branch; refuses until it lands). */
final class JdbiSandboxMeterStore implements SandboxMeterStore {
    private final Handle handle;

    JdbiSandboxMeterStore(Handle handle) {
        this.handle = handle;
    }

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("sandbox meters on PostgreSQL are not merged yet");
    }

    @Override
    public boolean insertIfAbsent(SandboxMeter meter) {
        throw notYet();
    }

    @Override
    public Optional<SandboxMeter> find(String sandboxId) {
        throw notYet();
    }

    @Override
    public Optional<SandboxMeter> findForUpdate(String sandboxId) {
        throw notYet();
    }

    @Override
    public void update(SandboxMeter meter) {
        throw notYet();
    }

    @Override
    public List<SandboxMeter> openMeters(OrgId orgId, MemberId member) {
        throw notYet();
    }

    @Override
    public List<SandboxMeter> silentSince(Collection<MeterStatus> statuses, Instant before, int limit) {
        throw notYet();
    }
}
