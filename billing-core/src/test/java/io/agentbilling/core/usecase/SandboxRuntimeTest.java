package io.agentbilling.core.usecase;

import static io.agentbilling.core.usecase.Refusals.assertInvalid;
import static io.agentbilling.core.usecase.Refusals.assertRefused;
import static io.agentbilling.core.usecase.Refusals.assertUnprocessable;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SandboxRuntimeTest {
    private static final Instant T0 = UsageFixture.START;

    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId ann = f.newMember(org);

    {
        f.topUp(org, Credits.ofCents(1_000));
    }

    private StartSandboxRuntime.Result start(String sandboxId, String size, Instant at, String key) {
        return f.startSandbox.execute(StartSandboxRuntime.Command.builder()
                .sandboxId(sandboxId).orgId(org).memberId(ann).size(size).startedAt(at).idempotencyKey(key).build());
    }

    private SettleSandboxRuntime.Result settle(String sandboxId, long seconds, long forgiven, boolean last,
                                               String key) {
        return f.settleSandbox.execute(SettleSandboxRuntime.Command.builder()
                .sandboxId(sandboxId).seconds(seconds).forgivenSeconds(forgiven).finalSettlement(last)
                .idempotencyKey(key).build());
    }

    private SandboxMeter beat(String sandboxId, Instant at) {
        return f.heartbeat.execute(new HeartbeatSandboxRuntime.Command(sandboxId, at));
    }

    @Test
    void start_heartbeats_partial_settlement_then_final_settlement() {
        StartSandboxRuntime.Result started = start("sb-1", "small", null, "start");
        assertThat(started.replayed()).isFalse();
        assertThat(started.meter()).isEqualTo(SandboxMeter.start("sb-1", org, ann, "small", T0));

        f.advance(Duration.ofSeconds(30));
        beat("sb-1", null);
        f.advance(Duration.ofSeconds(30));
        assertThat(beat("sb-1", null).lastHeartbeatAt()).isEqualTo(T0.plusSeconds(60));

        SettleSandboxRuntime.Result partial = settle("sb-1", 60, 0, false, "s1");
        assertThat(partial.settlement().charged()).isEqualTo(Credits.ofMicros(84_000)); // 60 s × 1 400 µ¢
        assertThat(partial.meter().settledThrough()).isEqualTo(T0.plusSeconds(60));
        assertThat(partial.meter().status()).isEqualTo(MeterStatus.ACTIVE);

        f.advance(Duration.ofSeconds(45));
        SettleSandboxRuntime.Result last = settle("sb-1", 40, 5, true, "s2");
        assertThat(last.settlement().charged()).isEqualTo(Credits.ofMicros(56_000));
        assertThat(last.meter().status()).isEqualTo(MeterStatus.SETTLED);
        assertThat(last.meter().settledSeconds()).isEqualTo(100);
        assertThat(last.meter().forgivenSeconds()).isEqualTo(5);
        assertThat(f.meter("sb-1")).isEqualTo(last.meter());

        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(1_000).minus(Credits.ofMicros(140_000)));
        LedgerEntry entry = f.entries(org).get(0);
        assertThat(entry.resource()).isEqualTo("sandbox");
        assertThat(entry.referenceId()).isEqualTo("sb-1");
        assertThat(entry.memberId()).isEqualTo(ann);
        assertThat(f.usage(org, ann)).containsExactly(UsageAmounts.sandbox(ann, "small", 100, 5,
                Credits.ofMicros(140_000)));
    }

    @Test
    void starting_again_with_the_same_key_or_the_same_payload_replays_the_meter() {
        start("sb-1", "small", T0, "start");
        f.advance(Duration.ofSeconds(10));
        beat("sb-1", null);

        StartSandboxRuntime.Result sameKey = start("sb-1", "small", T0, "start");
        assertThat(sameKey.replayed()).isTrue();
        assertThat(sameKey.meter().lastHeartbeatAt()).isEqualTo(T0.plusSeconds(10));
        StartSandboxRuntime.Result otherKey = start("sb-1", "small", null, "retry");
        assertThat(otherKey.replayed()).isTrue();
        assertThat(otherKey.meter().startedAt()).isEqualTo(T0);
    }

    @Test
    void starting_a_known_sandbox_with_another_payload_is_a_conflict() {
        start("sb-1", "small", T0, "start");
        assertRefused(() -> start("sb-1", "large", T0, "other"), BillingError.CONFLICT);
        assertRefused(() -> start("sb-1", "small", T0.plusSeconds(1), "other"), BillingError.CONFLICT);
        assertThat(f.meter("sb-1").size()).isEqualTo("small");
    }

    @Test
    void reusing_a_start_key_for_another_sandbox_is_an_idempotency_conflict() {
        start("sb-1", "small", T0, "start");
        assertRefused(() -> start("sb-2", "small", T0, "start"), BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.findMeter("sb-2")).isEmpty();
    }

    @Test
    void a_start_is_refused_for_an_unknown_size_org_or_a_stranger() {
        assertRefused(() -> start("sb-1", "huge", null, "k"), BillingError.UNPROCESSABLE);
        assertRefused(() -> f.startSandbox.execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sb-1").orgId(OrgId.random()).memberId(ann).size("small").idempotencyKey("k")
                .build()), BillingError.NOT_FOUND);
        MemberId stranger = f.newMember(f.newOrg());
        assertRefused(() -> f.startSandbox.execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sb-1").orgId(org).memberId(stranger).size("small").idempotencyKey("k")
                .build()), BillingError.UNPROCESSABLE);
        assertUnprocessable(() -> start("sb-1", "small", T0.plus(Duration.ofMinutes(6)), "k"), "startedAt");
        assertInvalid(() -> start("", "small", null, "k"), "sandboxId");
    }

    @Test
    void runtime_is_priced_by_the_catalog_in_force_when_the_sandbox_started() {
        f.clock.set(UsageFixture.V2_FROM.plus(Duration.ofHours(1)));
        start("sb-1", "small", UsageFixture.V2_FROM.minusSeconds(10), "start-1");
        start("sb-2", "small", null, "start-2");
        assertThat(settle("sb-1", 10, 0, false, "s1").settlement().charged()).isEqualTo(Credits.ofMicros(14_000));
        assertThat(settle("sb-2", 10, 0, false, "s2").settlement().charged()).isEqualTo(Credits.ofMicros(28_000));
    }

    @Test
    void replaying_a_settlement_charges_once_and_moves_the_meter_once() {
        start("sb-1", "small", null, "start");
        SettleSandboxRuntime.Result first = settle("sb-1", 60, 0, false, "s1");
        SettleSandboxRuntime.Result replay = settle("sb-1", 60, 0, false, "s1");
        assertThat(replay.settlement().replayed()).isTrue();
        assertThat(replay.settlement().entryId()).isEqualTo(first.settlement().entryId());
        assertThat(f.meter("sb-1").settledSeconds()).isEqualTo(60);
        assertRefused(() -> settle("sb-1", 61, 0, false, "s1"), BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.meter("sb-1").settledSeconds()).isEqualTo(60);
    }

    @Test
    void a_settled_meter_takes_no_new_settlement_or_heartbeat_but_still_replays() {
        start("sb-1", "small", null, "start");
        settle("sb-1", 10, 0, true, "final");
        assertRefused(() -> settle("sb-1", 5, 0, false, "late"), BillingError.CONFLICT);
        assertRefused(() -> beat("sb-1", null), BillingError.CONFLICT);
        assertThat(settle("sb-1", 10, 0, true, "final").settlement().replayed()).isTrue();
        assertRefused(() -> settle("sb-1", 11, 0, true, "final"), BillingError.IDEMPOTENCY_CONFLICT);
    }

    @Test
    void an_unknown_sandbox_is_not_found() {
        assertRefused(() -> beat("nope", null), BillingError.NOT_FOUND);
        assertRefused(() -> settle("nope", 1, 0, false, "k"), BillingError.NOT_FOUND);
    }

    @Test
    void a_settlement_of_nothing_must_at_least_be_final() {
        start("sb-1", "small", null, "start");
        assertInvalid(() -> settle("sb-1", 0, 0, false, "k"), "seconds");
        assertInvalid(() -> settle("sb-1", -1, 0, false, "k"), "seconds");
        assertInvalid(() -> settle("sb-1", 1, -1, false, "k"), "forgivenSeconds");
        assertInvalid(() -> settle("sb-1", SettleSandboxRuntime.MAX_SECONDS + 1, 0, false, "k"), "seconds");
        SettleSandboxRuntime.Result closed = settle("sb-1", 0, 0, true, "k");
        assertThat(closed.settlement().charged()).isEqualTo(Credits.ZERO);
        assertThat(closed.settlement().entryId()).isNull();
        assertThat(closed.meter().status()).isEqualTo(MeterStatus.SETTLED);
    }

    @Test
    void a_heartbeat_from_the_past_is_kept_out_and_one_from_the_future_is_refused() {
        start("sb-1", "small", null, "start");
        f.advance(Duration.ofSeconds(60));
        beat("sb-1", null);
        assertThat(beat("sb-1", T0.plusSeconds(30)).lastHeartbeatAt()).isEqualTo(T0.plusSeconds(60));
        assertUnprocessable(() -> beat("sb-1", T0.plus(Duration.ofMinutes(7))), "at");
    }

    @Test
    void a_start_before_the_org_existed_or_older_than_the_window_is_unprocessable() {
        assertUnprocessable(() -> start("sb-1", "small", T0.minusSeconds(1), "k"), "startedAt");
        assertUnprocessable(() -> start("sb-1", "small", Instant.parse("0000-06-01T00:00:00Z"), "k"), "startedAt");
        f.advance(Duration.ofDays(36));
        assertUnprocessable(() -> start("sb-1", "small", T0.plus(Duration.ofHours(1)), "k"), "startedAt");
        assertThat(f.findMeter("sb-1")).isEmpty();
    }

    @Test
    void seconds_that_have_not_elapsed_yet_cannot_be_settled() {
        start("sb-1", "small", null, "start");
        // Right after the start, a year of seconds: refused, twice, and nothing is charged.
        assertUnprocessable(() -> settle("sb-1", 31_622_400, 0, false, "y1"), "seconds");
        assertUnprocessable(() -> settle("sb-1", 31_622_400, 0, false, "y2"), "seconds");
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(1_000));
        assertThat(f.meter("sb-1").settledThrough()).isEqualTo(T0);

        f.advance(Duration.ofSeconds(100));
        // Up to the clock plus the skew (60 s by default) is fine; one second more is not.
        assertThat(settle("sb-1", 160, 0, false, "s1").meter().settledThrough()).isEqualTo(T0.plusSeconds(160));
        assertUnprocessable(() -> settle("sb-1", 1, 0, false, "s2"), "seconds");
        assertUnprocessable(() -> settle("sb-1", 0, 1, true, "s3"), "forgivenSeconds");
        // A replay of what was accepted still replays, whatever the clock says now.
        assertThat(settle("sb-1", 160, 0, false, "s1").settlement().replayed()).isTrue();
        f.advance(Duration.ofSeconds(10));
        assertThat(settle("sb-1", 5, 5, true, "s4").meter().status()).isEqualTo(MeterStatus.SETTLED);
    }
}
