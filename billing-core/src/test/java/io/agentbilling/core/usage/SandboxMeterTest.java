package io.agentbilling.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SandboxMeterTest {
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final SandboxMeter started = SandboxMeter.start("sb-1", OrgId.random(), MemberId.random(), "small", T0);

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void a_running_sandbox_shows_its_unsettled_time_as_active() {
        SandboxMeter meter = started.heartbeat(at(60)).settle(30, 0, false);
        assertThat(meter.activeSeconds(at(100), TIMEOUT)).isEqualTo(70);
        assertThat(meter.pendingSeconds(at(100), TIMEOUT)).isZero();
    }

    @Test
    void a_sandbox_silent_past_the_timeout_is_pending_with_the_time_its_heartbeats_vouch_for() {
        SandboxMeter meter = started.heartbeat(at(60)).settle(30, 0, false);
        assertThat(meter.isSilentAt(at(180), TIMEOUT)).isFalse(); // exactly at the timeout: still alive
        assertThat(meter.isSilentAt(at(181), TIMEOUT)).isTrue();
        assertThat(meter.activeSeconds(at(181), TIMEOUT)).isZero();
        assertThat(meter.pendingSeconds(at(181), TIMEOUT)).isEqualTo(30);
        assertThat(meter.markPending().pendingSeconds(at(181), TIMEOUT)).isEqualTo(30);
    }

    @Test
    void heartbeats_only_move_forward_and_revive_a_pending_meter() {
        SandboxMeter meter = started.heartbeat(at(60)).markPending().heartbeat(at(30));
        assertThat(meter.lastHeartbeatAt()).isEqualTo(at(60));
        assertThat(meter.status()).isEqualTo(MeterStatus.ACTIVE);
    }

    @Test
    void settlements_move_settled_through_by_charged_plus_forgiven_seconds() {
        SandboxMeter meter = started.settle(50, 10, false).settle(5, 0, true);
        assertThat(meter.settledThrough()).isEqualTo(at(65));
        assertThat(meter.settledSeconds()).isEqualTo(55);
        assertThat(meter.forgivenSeconds()).isEqualTo(10);
        assertThat(meter.status()).isEqualTo(MeterStatus.SETTLED);
        assertThatThrownBy(() -> meter.heartbeat(at(70))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_sweep_charges_to_the_last_heartbeat_and_forgives_the_timeout_window_after_it() {
        SandboxMeter.Sweep sweep = started.heartbeat(at(300)).settle(100, 0, false).sweep(TIMEOUT);
        assertThat(sweep.chargedSeconds()).isEqualTo(200);
        assertThat(sweep.forgivenSeconds()).isEqualTo(120);
        assertThat(sweep.after().status()).isEqualTo(MeterStatus.SETTLED);
        assertThat(sweep.after().settledSeconds()).isEqualTo(300);
    }

    @Test
    void a_sweep_never_charges_time_the_caller_already_settled_beyond_the_last_heartbeat() {
        SandboxMeter.Sweep sweep = started.heartbeat(at(60)).settle(150, 0, false).sweep(TIMEOUT);
        assertThat(sweep.chargedSeconds()).isZero();
        assertThat(sweep.forgivenSeconds()).isEqualTo(30); // [150, 60 + 120)
    }

    @Test
    void sub_second_heartbeats_count_whole_seconds_only() {
        SandboxMeter meter = started.heartbeat(T0.plusMillis(1_999));
        assertThat(meter.sweep(TIMEOUT).chargedSeconds()).isEqualTo(1);
    }
}
