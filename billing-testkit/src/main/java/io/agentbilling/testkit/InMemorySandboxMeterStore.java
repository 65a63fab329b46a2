package io.agentbilling.testkit;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.port.SandboxMeterStore;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.usage.SandboxMeter;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory {@link SandboxMeterStore}; mutations are journaled for rollback by {@link InMemoryTransactions}. */
final class InMemorySandboxMeterStore implements SandboxMeterStore {
    /** The port orders sandbox ids by code point (PostgreSQL's COLLATE "C"), not by UTF-16 unit as String does. */
    private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    };

    private final InMemoryTransactions tx;
    private final Map<String, SandboxMeter> meters = new HashMap<>();

    InMemorySandboxMeterStore(InMemoryTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean insertIfAbsent(SandboxMeter meter) {
        tx.requireTransaction();
        if (meters.putIfAbsent(meter.sandboxId(), meter) != null) {
            return false;
        }
        tx.onRollback(() -> meters.remove(meter.sandboxId()));
        return true;
    }

    @Override
    public Optional<SandboxMeter> find(String sandboxId) {
        tx.requireTransaction();
        return Optional.ofNullable(meters.get(sandboxId));
    }

    @Override
    public Optional<SandboxMeter> findForUpdate(String sandboxId) {
        return find(sandboxId); // the global transaction lock already serializes writers
    }

    @Override
    public void update(SandboxMeter meter) {
        tx.requireTransaction();
        SandboxMeter previous = meters.get(meter.sandboxId());
        if (previous == null) {
            throw new IllegalStateException("no meter " + meter.sandboxId());
        }
        if (!previous.orgId().equals(meter.orgId()) || !previous.memberId().equals(meter.memberId())
                || !previous.size().equals(meter.size()) || !previous.startedAt().equals(meter.startedAt())) {
            throw new IllegalStateException("a meter's identity cannot change: " + meter.sandboxId());
        }
        meters.put(meter.sandboxId(), meter);
        tx.onRollback(() -> meters.put(meter.sandboxId(), previous));
    }

    @Override
    public List<SandboxMeter> openMeters(OrgId orgId, MemberId member) {
        tx.requireTransaction();
        return meters.values().stream()
                .filter(m -> m.orgId().equals(orgId) && m.isOpen())
                .filter(m -> member == null || m.memberId().equals(member))
                .sorted(Comparator.comparing(SandboxMeter::sandboxId, CODE_POINT_ORDER))
                .toList();
    }

    @Override
    public List<SandboxMeter> silentSince(Collection<MeterStatus> statuses, Instant before, int limit) {
        tx.requireTransaction();
        return meters.values().stream()
                .filter(m -> statuses.contains(m.status()) && m.lastHeartbeatAt().isBefore(before))
                .sorted(Comparator.comparing(SandboxMeter::lastHeartbeatAt).thenComparing(SandboxMeter::sandboxId, CODE_POINT_ORDER))
                .limit(limit)
                .toList();
    }
}
