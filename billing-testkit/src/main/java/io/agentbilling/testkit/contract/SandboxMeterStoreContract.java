package io.agentbilling.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.usage.SandboxMeter;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link io.agentbilling.core.port.SandboxMeterStore} adapter must have. */
public abstract class SandboxMeterStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00.123456Z");

    /**
     * A fresh unit-of-work factory over the adapter under test.
     */
    protected abstract Transactions newTransactions();

    private Transactions tx;
    private OrgId org;
    private MemberId ann;
    private MemberId bob;
    /** Sandbox ids are global: prefix them so classes sharing a database never collide. */
    private final String run = UUID.randomUUID().toString().substring(0, 8) + "-";

    @BeforeEach
    void world() {
        tx = newTransactions();
        org = ContractWorld.newOrg(tx);
        ann = ContractWorld.newMember(tx, org);
        bob = ContractWorld.newMember(tx, org);
    }

    private SandboxMeter meter(String id, MemberId member, Instant at) {
        return SandboxMeter.start(run + id, org, member, "small", at);
    }

    private boolean insert(SandboxMeter meter) {
        return tx.inTransaction(stores -> stores.meters().insertIfAbsent(meter));
    }

    private void update(SandboxMeter meter) {
        tx.inTransaction(stores -> {
            stores.meters().update(meter);
            return null;
        });
    }

    private Optional<SandboxMeter> find(String id) {
        return tx.read(stores -> stores.meters().find(run + id));
    }

    private List<SandboxMeter> silent(EnumSet<MeterStatus> statuses, Instant before, int limit) {
        return tx.read(stores -> stores.meters().silentSince(statuses, before, limit)).stream()
                .filter(m -> m.sandboxId().startsWith(run))
                .toList();
    }

    @Test
    void a_new_meter_is_inserted_and_read_back_exactly() {
        SandboxMeter meter = meter("a", ann, T0);
        assertThat(insert(meter)).isTrue();
        assertThat(find("a")).contains(meter);
        Optional<SandboxMeter> locked = tx.inTransaction(stores -> stores.meters().findForUpdate(run + "a"));
        assertThat(locked).contains(meter);
        assertThat(find("nope")).isEmpty();
    }

    @Test
    void inserting_a_known_sandbox_id_changes_nothing_and_says_so() {
        insert(meter("a", ann, T0));
        assertThat(insert(SandboxMeter.start(run + "a", org, bob, "large", T0.plusSeconds(5)))).isFalse();
        assertThat(find("a")).contains(meter("a", ann, T0));
    }

    @Test
    void an_update_stores_heartbeat_settlement_and_status() {
        insert(meter("a", ann, T0));
        SandboxMeter next = meter("a", ann, T0).heartbeat(T0.plusSeconds(90)).settle(60, 5, false).markPending();
        update(next);
        assertThat(find("a")).contains(next);
        SandboxMeter closed = next.settle(10, 0, true);
        update(closed);
        assertThat(find("a")).contains(closed);
    }

    @Test
    void updating_a_meter_that_does_not_exist_fails() {
        assertThatThrownBy(() -> update(meter("ghost", ann, T0))).isInstanceOf(RuntimeException.class);
        assertThat(find("ghost")).isEmpty();
    }

    @Test
    void open_meters_are_the_active_and_pending_ones_of_the_org_or_member_in_id_order() {
        insert(meter("c", ann, T0));
        insert(meter("a", bob, T0));
        insert(meter("b", ann, T0));
        insert(meter("d", ann, T0));
        update(meter("b", ann, T0).markPending());
        update(meter("d", ann, T0).settle(1, 0, true));
        OrgId other = ContractWorld.newOrg(tx);
        MemberId stranger = ContractWorld.newMember(tx, other);
        insert(SandboxMeter.start(run + "e", other, stranger, "small", T0));

        List<SandboxMeter> ofOrg = tx.read(stores -> stores.meters().openMeters(org, null));
        List<SandboxMeter> ofAnn = tx.read(stores -> stores.meters().openMeters(org, ann));
        assertThat(ofOrg).extracting(SandboxMeter::sandboxId).containsExactly(run + "a", run + "b", run + "c");
        assertThat(ofAnn).extracting(SandboxMeter::sandboxId).containsExactly(run + "b", run + "c");
    }

    @Test
    void silent_meters_are_those_of_the_statuses_asked_whose_last_heartbeat_is_strictly_before_the_instant() {
        insert(meter("a", ann, T0));
        insert(meter("b", ann, T0.plusSeconds(10)));
        insert(meter("c", ann, T0.plusSeconds(20)));
        insert(meter("d", ann, T0));
        update(meter("a", ann, T0).markPending());
        update(meter("d", ann, T0).settle(0, 0, true));

        EnumSet<MeterStatus> open = EnumSet.of(MeterStatus.ACTIVE, MeterStatus.PENDING);
        assertThat(silent(open, T0.plusSeconds(20), 10)).extracting(SandboxMeter::sandboxId)
                .containsExactly(run + "a", run + "b");
        assertThat(silent(EnumSet.of(MeterStatus.ACTIVE), T0.plusSeconds(20), 10))
                .extracting(SandboxMeter::sandboxId).containsExactly(run + "b");
        assertThat(silent(open, T0, 10)).isEmpty();
    }

    @Test
    void silent_meters_come_oldest_heartbeat_first_and_at_most_the_limit() {
        Transactions own = newTransactions();
        OrgId org2 = ContractWorld.newOrg(own);
        MemberId m = ContractWorld.newMember(own, org2);
        Instant old = Instant.parse("2000-01-01T00:00:00Z"); // older than anything another test leaves behind
        own.inTransaction(stores -> {
            stores.meters().insertIfAbsent(SandboxMeter.start(run + "y", org2, m, "small", old.plusSeconds(1)));
            stores.meters().insertIfAbsent(SandboxMeter.start(run + "z", org2, m, "small", old));
            stores.meters().insertIfAbsent(SandboxMeter.start(run + "x", org2, m, "small", old.plusSeconds(1)));
            return null;
        });
        List<SandboxMeter> two = own.read(stores -> stores.meters()
                .silentSince(EnumSet.of(MeterStatus.ACTIVE), old.plusSeconds(2), 2));
        assertThat(two).extracting(SandboxMeter::sandboxId).containsExactly(run + "z", run + "x");
    }

    @Test
    void a_meter_inserted_in_a_unit_of_work_that_fails_is_not_kept() {
        assertThatThrownBy(() -> tx.inTransaction(stores -> {
            stores.meters().insertIfAbsent(meter("a", ann, T0));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(find("a")).isEmpty();
    }
}
