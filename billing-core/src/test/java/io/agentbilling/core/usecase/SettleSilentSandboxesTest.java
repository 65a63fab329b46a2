package io.agentbilling.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SettleSilentSandboxesTest {
    private static final Instant T0 = UsageFixture.START;
    private static final Duration TIMEOUT = UsageFixture.POLICY.heartbeatTimeout();
    private static final Duration GRACE = UsageFixture.POLICY.gracePeriod();

    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId ann = f.newMember(org);

    private void start(String sandboxId) {
        f.startSandbox.execute(
                StartSandboxRuntime.Command.builder()
                        .sandboxId(sandboxId).orgId(org).memberId(ann).size("small")
                        .idempotencyKey("start-" + sandboxId).build());
    }

    private void beatAt(String sandboxId, Instant at) {
        f.heartbeat.execute(new HeartbeatSandboxRuntime.Command(sandboxId, at));
    }

    @Test
    void a_silent_sandbox_goes_pending_then_is_settled_up_to_its_last_heartbeat_with_the_gap_forgiven() {
        start("sb-1");
        f.advance(Duration.ofSeconds(300));
        beatAt("sb-1", null);
        f.settleSandbox.execute(SettleSandboxRuntime.Command.builder()
                .sandboxId("sb-1").seconds(100).idempotencyKey("s1").build());

        f.clock.set(T0.plusSeconds(300).plus(TIMEOUT));
        assertThat(f.sweeper.execute(10)).isEqualTo(new SettleSilentSandboxes.Result(0, 0, 0, false));
        f.advance(Duration.ofSeconds(1));
        assertThat(f.sweeper.execute(10)).isEqualTo(new SettleSilentSandboxes.Result(1, 0, 0, false));
        assertThat(f.meter("sb-1").status()).isEqualTo(MeterStatus.PENDING);

        f.clock.set(T0.plusSeconds(300).plus(TIMEOUT).plus(GRACE));
        assertThat(f.sweeper.execute(10).settled()).isZero();
        f.advance(Duration.ofSeconds(1));
        assertThat(f.sweeper.execute(10)).isEqualTo(new SettleSilentSandboxes.Result(0, 1, 0, false));

        SandboxMeter meter = f.meter("sb-1");
        assertThat(meter.status()).isEqualTo(MeterStatus.SETTLED);
        assertThat(meter.settledSeconds()).isEqualTo(300);
        assertThat(meter.forgivenSeconds()).isEqualTo(TIMEOUT.getSeconds());
        assertThat(f.balance(org)).isEqualTo(Credits.ofMicros(-300L * 1_400));
        assertThat(f.usage(org, ann)).containsExactly(UsageAmounts.sandbox(ann, "small", 300,
                TIMEOUT.getSeconds(), Credits.ofMicros(300L * 1_400)));
        assertThat(f.entries(org).get(0).idempotencyKey()).isEqualTo("sandbox-sweep:sb-1:" + T0.plusSeconds(100));

        assertThat(f.sweeper.execute(10)).isEqualTo(new SettleSilentSandboxes.Result(0, 0, 0, false));
        assertThat(f.entries(org)).hasSize(2);
    }

    @Test
    void a_heartbeat_brings_a_pending_sandbox_back_before_the_sweeper_closes_it() {
        start("sb-1");
        f.advance(TIMEOUT.plusSeconds(1));
        f.sweeper.execute(10);
        assertThat(f.meter("sb-1").status()).isEqualTo(MeterStatus.PENDING);

        beatAt("sb-1", null);
        assertThat(f.meter("sb-1").status()).isEqualTo(MeterStatus.ACTIVE);
        f.advance(GRACE);
        assertThat(f.sweeper.execute(10).settled()).isZero();
    }

    @Test
    void the_caller_may_still_settle_a_pending_sandbox_itself() {
        start("sb-1");
        f.advance(TIMEOUT.plusSeconds(1));
        f.sweeper.execute(10);
        f.settleSandbox.execute(SettleSandboxRuntime.Command.builder()
                .sandboxId("sb-1").seconds(90).finalSettlement(true).idempotencyKey("final").build());
        f.advance(GRACE);
        assertThat(f.sweeper.execute(10).settled()).isZero();
        assertThat(f.balance(org)).isEqualTo(Credits.ofMicros(-90L * 1_400));
    }

    @Test
    void a_sweep_is_bounded_and_the_next_one_picks_up_the_rest() {
        start("sb-1");
        start("sb-2");
        start("sb-3");
        f.advance(TIMEOUT.plus(GRACE).plusSeconds(1));

        assertThat(f.sweeper.execute(2)).isEqualTo(new SettleSilentSandboxes.Result(0, 2, 0, true));
        assertThat(f.sweeper.execute(2)).isEqualTo(new SettleSilentSandboxes.Result(0, 1, 0, false));
        assertThat(f.openMeters(org)).isEmpty();
        // Nothing ran past a heartbeat, so nothing is charged; the timeout window of each is forgiven.
        assertThat(f.balance(org)).isEqualTo(Credits.ZERO);
        assertThat(f.usage(org, ann)).singleElement().extracting(UsageAmounts::forgivenQuantity)
                .isEqualTo(java.math.BigInteger.valueOf(3 * TIMEOUT.getSeconds()));
    }

    @Test
    void a_sweep_the_ledger_refuses_still_closes_the_meter_so_it_cannot_clog_later_sweeps() {
        start("sb-1");
        f.advance(Duration.ofSeconds(60));
        beatAt("sb-1", null);
        // Someone used the key the sweep derives, for another payload: the ledger refuses the sweep's posting.
        f.settleDeduction.execute(
                SettleDeduction.Command.builder()
                        .orgId(org).amountMicros(1).resource("x").idempotencyKey("sandbox-sweep:sb-1:" + T0).build());
        f.advance(TIMEOUT.plus(GRACE).plusSeconds(1));

        assertThat(f.sweeper.execute(10)).isEqualTo(new SettleSilentSandboxes.Result(0, 1, 1, false));
        assertThat(f.meter("sb-1").status()).isEqualTo(MeterStatus.SETTLED);
        assertThat(f.meter("sb-1").settledSeconds()).isZero();
        assertThat(f.balance(org)).isEqualTo(Credits.ofMicros(-1));
        assertThat(f.sweeper.execute(10).settled()).isZero();
    }
}
