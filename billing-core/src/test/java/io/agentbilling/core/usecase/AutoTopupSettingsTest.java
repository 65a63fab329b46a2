package io.agentbilling.core.usecase;

import static io.agentbilling.core.usecase.StartTopupTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.AutoTopupView;
import io.agentbilling.core.usecase.PaymentsWorld.OrgFixture;
import org.junit.jupiter.api.Test;

class AutoTopupSettingsTest {
    private final PaymentsWorld world = new PaymentsWorld();
    private final OrgFixture org = world.newOrg("Acme");

    @Test
    void settings_are_off_until_an_admin_turns_them_on() {
        AutoTopupView view = world.getAutoTopup.execute(new GetAutoTopup.Command(org.member(), null));

        assertThat(view.settings().enabled()).isFalse();
        assertThat(view.settings().lastTopupAt()).isNull();
        assertThat(view.hasSavedPaymentMethod()).isFalse();
    }

    @Test
    void enabling_without_a_saved_card_needs_a_payment_method() {
        assertError(() -> update(true, 1_000L, 2_500L), BillingError.PAYMENT_METHOD_REQUIRED);
        assertThat(world.settings(org.id()).enabled()).isFalse();
    }

    @Test
    void with_a_saved_card_an_admin_can_enable_it() {
        world.paidTopup(org, 500);

        AutoTopupView view = update(true, 1_000L, 2_500L);

        assertThat(view.settings().enabled()).isTrue();
        assertThat(view.settings().thresholdCents()).isEqualTo(1_000);
        assertThat(view.settings().topupAmountCents()).isEqualTo(2_500);
        assertThat(view.hasSavedPaymentMethod()).isTrue();
        assertThat(world.getAutoTopup.execute(new GetAutoTopup.Command(org.member(), null)).settings())
                .isEqualTo(view.settings());
    }

    @Test
    void omitted_fields_keep_their_values() {
        world.paidTopup(org, 500);
        update(true, 1_500L, 3_000L);

        AutoTopupView view = update(null, null, 4_000L);

        assertThat(view.settings().enabled()).isTrue();
        assertThat(view.settings().thresholdCents()).isEqualTo(1_500);
        assertThat(view.settings().topupAmountCents()).isEqualTo(4_000);
    }

    @Test
    void the_merged_result_is_validated() {
        assertBadRequest(() -> update(null, -1L, null), "thresholdCents");
        assertBadRequest(() -> update(null, 1_000_001L, null), "thresholdCents");
        assertBadRequest(() -> update(null, null, 499L), "topupAmountCents");
        assertBadRequest(() -> update(null, null, 1_000_001L), "topupAmountCents");
        assertThat(update(null, 0L, 500L).settings().thresholdCents()).isZero();
        assertThat(update(null, 1_000_000L, 1_000_000L).settings().topupAmountCents()).isEqualTo(1_000_000);
    }

    @Test
    void only_an_admin_may_update_and_only_their_org() {
        OrgFixture other = world.newOrg("Other");

        assertError(() -> world.updateAutoTopup.execute(UpdateAutoTopup.Command.builder()
                .caller(org.member()).enabled(false).build()), BillingError.FORBIDDEN);
        assertError(() -> world.updateAutoTopup.execute(UpdateAutoTopup.Command.builder()
                .caller(org.admin()).orgId(other.id()).enabled(false).build()), BillingError.FORBIDDEN);
        assertError(() -> world.getAutoTopup.execute(new GetAutoTopup.Command(org.member(), other.id())),
                BillingError.FORBIDDEN);
    }

    @Test
    void re_enabling_resets_the_failure_count_and_the_reason_it_was_turned_off() {
        world.paidTopup(org, 500);
        world.memory.inTransaction(s -> {
            s.payments().saveAutoTopupSettings(new AutoTopupSettings(org.id(), false, 1_000, 2_500, null,
                    world.clock.instant(), "card_declined", 3, "turned off after 3 consecutive failed charges"));
            return null;
        });

        AutoTopupView view = update(true, null, null);

        assertThat(view.settings().consecutiveFailures()).isZero();
        assertThat(view.settings().disabledReason()).isNull();
        assertThat(view.settings().lastFailureReason()).isEqualTo("card_declined");
    }

    @Test
    void an_update_that_keeps_it_on_keeps_the_failure_count() {
        world.paidTopup(org, 500);
        update(true, 1_000L, 2_500L);
        world.memory.inTransaction(s -> {
            s.payments().saveAutoTopupSettings(world.settings(org.id()).withFailure("card_declined",
                    world.clock.instant(), 3));
            return null;
        });

        assertThat(update(null, 2_000L, null).settings().consecutiveFailures()).isEqualTo(1);
    }

    private AutoTopupView update(Boolean enabled, Long threshold, Long amount) {
        UpdateAutoTopup.Command.Builder command = UpdateAutoTopup.Command.builder().caller(org.admin());
        if (enabled != null) {
            command.enabled(enabled);
        }
        if (threshold != null) {
            command.thresholdCents(threshold);
        }
        if (amount != null) {
            command.topupAmountCents(amount);
        }
        return world.updateAutoTopup.execute(command.build());
    }

    private static void assertBadRequest(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class, e -> {
            assertThat(e.error()).isEqualTo(BillingError.BAD_REQUEST);
            assertThat(e.details()).anySatisfy(d -> assertThat(d.field()).isEqualTo(field));
        });
    }
}
