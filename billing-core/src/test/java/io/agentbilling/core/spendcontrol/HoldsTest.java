package io.agentbilling.core.spendcontrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldStatus;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.core.usecase.GetCredits;
import io.agentbilling.core.usecase.PlaceHold;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.core.usecase.SettleSandboxRuntime;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import io.agentbilling.core.webhooks.WebhookEventType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Holds on the in-memory engine: admission, capture, release, expiry, and what they do to available credit. */
class HoldsTest {
    private final SpendWorld world = new SpendWorld(1_000);

    @Test
    void a_hold_takes_its_amount_out_of_available_credit_and_a_second_cannot_overrun_the_balance() {
        PlaceHold.Result first = world.hold(700, null, null, 60);
        assertThat(first.replayed()).isFalse();
        GetCredits.Result credits = world.billing.getCredits().forOrg(world.org);
        assertThat(credits.held()).isEqualTo(Credits.ofCents(700));
        assertThat(credits.available()).isEqualTo(Credits.ofCents(300));

        assertThatThrownBy(() -> world.hold(301, null, null, 60))
                .isInstanceOfSatisfying(BillingException.class, e -> {
                    assertThat(e.error()).isEqualTo(BillingError.INSUFFICIENT_CREDIT);
                    assertThat(e.details()).contains(new FieldIssue("limitedBy", "org_balance"));
                });
        assertThat(world.hold(300, null, null, 60).hold().amount()).isEqualTo(Credits.ofCents(300));
        CheckCredit.Result check = world.billing.checkCredit().execute(CheckCredit.Command.balanceOf(world.org));
        assertThat(check.allowed()).isFalse();
        assertThat(check.reason()).isEqualTo(CheckCredit.INSUFFICIENT_CREDITS);
        assertThat(check.available()).isEqualTo(Credits.ZERO);
    }

    @Test
    void a_settlement_naming_a_hold_charges_the_actual_amount_and_releases_the_rest_even_above_the_hold() {
        Hold small = world.hold(200, world.dev.id(), null, 60).hold();
        SettlementResult charged = world.deduct(50, world.dev.id(), small.id(), null);
        assertThat(charged.charged()).isEqualTo(Credits.ofCents(50));
        Hold after = world.billing.spendControls().getHold().execute(small.id());
        assertThat(after.status()).isEqualTo(HoldStatus.CAPTURED);
        assertThat(after.captured()).isEqualTo(Credits.ofCents(50));
        assertThat(world.billing.getCredits().forOrg(world.org).held()).isEqualTo(Credits.ZERO);

        Hold tight = world.hold(100, world.dev.id(), null, 60).hold();
        world.deduct(400, world.dev.id(), tight.id(), null);
        GetCredits.Result credits = world.billing.getCredits().forOrg(world.org);
        assertThat(credits.balance()).isEqualTo(Credits.ofCents(550));
        assertThat(credits.held()).isEqualTo(Credits.ZERO);
    }

    @Test
    void a_second_settlement_of_a_captured_hold_is_charged_as_usual_and_leaves_the_hold_alone() {
        Hold hold = world.hold(100, null, null, 60).hold();
        world.deduct(10, null, hold.id(), null);
        world.deduct(20, null, hold.id(), null);
        assertThat(world.balance()).isEqualTo(Credits.ofCents(970));
        Hold stored = world.billing.spendControls().getHold().execute(hold.id());
        assertThat(stored.captured()).isEqualTo(Credits.ofCents(10));
    }

    @Test
    void release_gives_the_reservation_back_and_is_idempotent_but_a_captured_hold_cannot_be_released() {
        Hold hold = world.hold(600, null, null, 60).hold();
        Hold released = world.billing.spendControls().releaseHold().execute(hold.id());
        assertThat(released.status()).isEqualTo(HoldStatus.RELEASED);
        assertThat(world.billing.spendControls().releaseHold().execute(hold.id())).isEqualTo(released);
        Hold whole = world.hold(1_000, null, null, 60).hold();
        world.billing.spendControls().releaseHold().execute(whole.id());

        Hold captured = world.hold(1, null, null, 60).hold();
        world.deduct(1, null, captured.id(), null);
        assertRefused(() -> world.billing.spendControls().releaseHold().execute(captured.id()), BillingError.CONFLICT,
                null);
    }

    @Test
    void an_expired_hold_reserves_nothing_the_sweep_marks_it_once_and_records_hold_expired() {
        Hold hold = world.hold(900, null, null, 30).hold();
        world.advance(Duration.ofSeconds(30));
        assertThat(world.billing.getCredits().forOrg(world.org).held()).isEqualTo(Credits.ZERO);
        assertThat(world.billing.spendControls().expireHolds().execute(10)).isEqualTo(1);
        assertThat(world.billing.spendControls().expireHolds().execute(10)).isZero();
        Hold after = world.billing.spendControls().releaseHold().execute(hold.id());
        assertThat(after.status()).isEqualTo(HoldStatus.EXPIRED);
        assertThat(recorded(WebhookEventType.HOLD_EXPIRED, "hold:" + hold.id())).isTrue();
    }

    @Test
    void an_admission_expires_the_orgs_due_holds_itself_first() {
        Hold first = world.hold(1_000, null, null, 10).hold();
        world.advance(Duration.ofSeconds(10));
        assertThat(recorded(WebhookEventType.HOLD_EXPIRED, "hold:" + first.id())).isFalse();
        assertThat(world.hold(1_000, null, null, 10).hold().status()).isEqualTo(HoldStatus.ACTIVE);
        assertThat(recorded(WebhookEventType.HOLD_EXPIRED, "hold:" + first.id())).isTrue();
        assertThat(world.billing.spendControls().expireHolds().execute(10)).isZero();
    }

    @Test
    void the_same_key_replays_the_same_hold_and_another_request_under_it_is_a_conflict() {
        PlaceHold.Command command = PlaceHold.Command.builder().orgId(world.org).amountCents(100).ttlSeconds(60)
                .idempotencyKey("run-1").build();
        PlaceHold.Result first = world.billing.spendControls().placeHold().execute(command);
        PlaceHold.Result again = world.billing.spendControls().placeHold().execute(command);
        assertThat(again.replayed()).isTrue();
        assertThat(again.hold().id()).isEqualTo(first.hold().id());
        assertThatThrownBy(() -> world.billing.spendControls().placeHold().execute(PlaceHold.Command.builder()
                .orgId(world.org).amountCents(101).ttlSeconds(60).idempotencyKey("run-1").build()))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.IDEMPOTENCY_CONFLICT));
        assertThat(world.billing.getCredits().forOrg(world.org).held()).isEqualTo(Credits.ofCents(100));
    }

    @Test
    void bad_holds_are_refused_naming_the_field_and_settlements_naming_a_foreign_hold_or_member_are_422() {
        assertRefused(() -> world.hold(0, null, null, 60), BillingError.BAD_REQUEST, "amountCents");
        assertRefused(() -> world.hold(1, null, null, 0), BillingError.BAD_REQUEST, "ttlSeconds");
        assertRefused(() -> world.hold(1, null, null, PlaceHold.MAX_TTL_SECONDS + 1), BillingError.BAD_REQUEST,
                "ttlSeconds");
        SpendWorld elsewhere = new SpendWorld(100);
        assertRefused(() -> world.hold(1, elsewhere.dev.id(), null, 60), BillingError.UNPROCESSABLE, "memberId");
        assertRefused(() -> world.hold(1, null, elsewhere.devKey.id(), 60), BillingError.UNPROCESSABLE, "apiKeyId");

        Hold devs = world.hold(100, world.dev.id(), null, 60).hold();
        assertRefused(() -> world.deduct(10, world.other.id(), devs.id(), null), BillingError.UNPROCESSABLE,
                "memberId");
        assertRefused(() -> world.deduct(10, world.dev.id(), new io.agentbilling.core.spend.HoldId(
                java.util.UUID.randomUUID()), null), BillingError.UNPROCESSABLE, "holdId");
        assertThat(world.balance()).isEqualTo(Credits.ofCents(1_000)).as("nothing was charged");
    }

    @Test
    void a_sandbox_meter_holds_its_quoted_seconds_interim_settlements_capture_in_part_and_the_last_closes_it() {
        Hold hold = world.hold(100, world.dev.id(), null, 3_600).hold();
        world.billing.startSandboxRuntime().execute(StartSandboxRuntime.Command.builder().sandboxId("sbx-1")
                .orgId(world.org).memberId(world.dev.id()).size("small").holdId(hold.id()).idempotencyKey("s1")
                .build());
        world.advance(Duration.ofMinutes(5));
        SettleSandboxRuntime.Result interim = world.billing.settleSandboxRuntime().execute(
                SettleSandboxRuntime.Command.builder().sandboxId("sbx-1").seconds(300).idempotencyKey("p1").build());
        Credits held = world.billing.getCredits().forOrg(world.org).held();
        assertThat(held).isEqualTo(Credits.ofCents(100).minus(interim.settlement().charged()));
        world.advance(Duration.ofMinutes(5));
        world.billing.settleSandboxRuntime().execute(SettleSandboxRuntime.Command.builder().sandboxId("sbx-1")
                .seconds(300).finalSettlement(true).idempotencyKey("p2").build());
        assertThat(world.billing.getCredits().forOrg(world.org).held()).isEqualTo(Credits.ZERO);
        assertThat(world.billing.spendControls().getHold().execute(hold.id()).status())
                .isEqualTo(HoldStatus.CAPTURED);
    }

    @Test
    void a_hold_for_another_member_cannot_be_bound_to_a_sandbox() {
        Hold hold = world.hold(100, world.other.id(), null, 3_600).hold();
        assertRefused(() -> world.billing.startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sbx-2").orgId(world.org).memberId(world.dev.id()).size("small").holdId(hold.id())
                .idempotencyKey("s2").build()), BillingError.UNPROCESSABLE, "holdId");
    }

    @Test
    void a_quote_counts_active_holds_out_of_what_is_affordable() {
        var before = world.billing.quoteSandboxRuntime().execute(
                new io.agentbilling.core.usecase.QuoteSandboxRuntime.Command(world.org, "small", null));
        world.hold(500, null, null, 60);
        var after = world.billing.quoteSandboxRuntime().execute(
                new io.agentbilling.core.usecase.QuoteSandboxRuntime.Command(world.org, "small", null));
        assertThat(after.available()).isEqualTo(Credits.ofCents(500));
        assertThat(after.affordableSeconds()).isLessThan(before.affordableSeconds());
    }

    /** Events are recorded even with no endpoint: the outbox is the history of what happened. */
    private boolean recorded(WebhookEventType type, String cause) {
        String id = io.agentbilling.core.webhooks.WebhookEvent.idFor(world.org, type, cause);
        return world.transactions.read(stores -> stores.webhooks().findEvent(world.org, id).isPresent());
    }

    private static void assertRefused(Runnable call, BillingError error, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BillingException.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            if (field != null) {
                assertThat(e.details()).extracting(FieldIssue::field).contains(field);
            }
        });
    }
}
