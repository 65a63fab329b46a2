package io.agentbilling.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CreditedPayment;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.PaymentStore;
import io.agentbilling.core.port.Transactions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented behaviour of {@link PaymentStore}, run against every adapter (in-memory here, PostgreSQL in the
 * JDBC module). Each test uses fresh orgs, so adapters may share one database across tests.
 */
public abstract class PaymentStoreContract {
    /** Whole seconds, so that adapters storing microseconds read back equal instants. */
    protected static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private Transactions tx;
    private PaymentStore store;
    private OrgId org;
    private OrgId otherOrg;

    /**
     * A fresh unit-of-work factory over the adapter under test.
     */
    protected abstract Transactions newTransactions();

    @BeforeEach
    void setUp() {
        tx = newTransactions();
        store = autoCommitting(tx);
        org = newOrg();
        otherOrg = newOrg();
    }

    // --- profiles ---

    @Test
    void an_org_without_a_profile_has_none() {
        assertThat(store.profile(org)).isEmpty();
    }

    @Test
    void the_first_customer_saved_wins() {
        PaymentProfile first = store.saveCustomerIfAbsent(org, "cus_first", T0);
        PaymentProfile second = store.saveCustomerIfAbsent(org, "cus_second", T0.plusSeconds(1));

        assertThat(first.customerId()).isEqualTo("cus_first");
        assertThat(second.customerId()).isEqualTo("cus_first");
        assertThat(store.profile(org)).get().extracting(PaymentProfile::customerId).isEqualTo("cus_first");
        assertThat(first.hasSavedPaymentMethod()).isFalse();
    }

    @Test
    void a_saved_card_is_kept_on_the_profile_and_may_be_replaced() {
        store.saveCustomerIfAbsent(org, "cus_1", T0);

        store.savePaymentMethod(org, "pm_1", T0.plusSeconds(1));
        PaymentProfile replaced = store.savePaymentMethod(org, "pm_2", T0.plusSeconds(2));

        assertThat(replaced.paymentMethodId()).isEqualTo("pm_2");
        PaymentProfile stored = store.profile(org).orElseThrow();
        assertThat(stored.paymentMethodId()).isEqualTo("pm_2");
        assertThat(stored.customerId()).isEqualTo("cus_1");
        assertThat(stored.updatedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(store.profile(otherOrg)).isEmpty();
    }

    @Test
    void saving_a_card_without_a_profile_is_refused() {
        assertThatThrownBy(() -> store.savePaymentMethod(org, "pm_1", T0))
                .isInstanceOf(IllegalStateException.class);
    }

    // --- checkouts ---

    @Test
    void a_checkout_is_found_by_session_and_by_key() {
        CheckoutRecord record = checkout("cs_" + UUID.randomUUID(), org, 2_500, "key-1");

        assertThat(store.insertCheckoutIfAbsent(record)).isEqualTo(record);
        assertThat(store.findCheckout(record.sessionId())).contains(record);
        assertThat(store.findCheckoutByKey(org, "key-1")).contains(record);
        assertThat(store.findCheckoutByKey(otherOrg, "key-1")).isEmpty();
        assertThat(store.findCheckout("cs_unknown")).isEmpty();
    }

    @Test
    void a_second_record_of_the_same_session_returns_the_first() {
        String session = "cs_" + UUID.randomUUID();
        CheckoutRecord first = checkout(session, org, 2_500, null);
        store.insertCheckoutIfAbsent(first);

        CheckoutRecord winner = store.insertCheckoutIfAbsent(checkout(session, org, 9_999, null));

        assertThat(winner).isEqualTo(first);
    }

    @Test
    void a_second_session_under_the_same_org_and_key_returns_the_first() {
        CheckoutRecord first = checkout("cs_" + UUID.randomUUID(), org, 2_500, "key-1");
        store.insertCheckoutIfAbsent(first);
        CheckoutRecord second = checkout("cs_" + UUID.randomUUID(), org, 2_500, "key-1");

        assertThat(store.insertCheckoutIfAbsent(second)).isEqualTo(first);
        assertThat(store.findCheckout(second.sessionId())).isEmpty();
    }

    @Test
    void keys_are_scoped_per_org_and_checkouts_without_a_key_never_collide() {
        CheckoutRecord mine = checkout("cs_" + UUID.randomUUID(), org, 2_500, "key-1");
        CheckoutRecord theirs = checkout("cs_" + UUID.randomUUID(), otherOrg, 2_500, "key-1");
        CheckoutRecord keyless1 = checkout("cs_" + UUID.randomUUID(), org, 500, null);
        CheckoutRecord keyless2 = checkout("cs_" + UUID.randomUUID(), org, 500, null);

        assertThat(store.insertCheckoutIfAbsent(mine)).isEqualTo(mine);
        assertThat(store.insertCheckoutIfAbsent(theirs)).isEqualTo(theirs);
        assertThat(store.insertCheckoutIfAbsent(keyless1)).isEqualTo(keyless1);
        assertThat(store.insertCheckoutIfAbsent(keyless2)).isEqualTo(keyless2);
    }

    @Test
    void a_checkout_failure_is_recorded_once() {
        CheckoutRecord record = checkout("cs_" + UUID.randomUUID(), org, 2_500, null);
        store.insertCheckoutIfAbsent(record);

        Optional<CheckoutRecord> failed = store.markCheckoutFailed(record.sessionId(), "declined", T0);
        Optional<CheckoutRecord> again = store.markCheckoutFailed(record.sessionId(), "other",
                T0.plusSeconds(5));

        assertThat(failed).get().extracting(CheckoutRecord::failureReason).isEqualTo("declined");
        assertThat(again).get().satisfies(r -> {
            assertThat(r.failureReason()).isEqualTo("declined");
            assertThat(r.failedAt()).isEqualTo(T0);
        });
        assertThat(store.markCheckoutFailed("cs_unknown", "declined", T0)).isEmpty();
    }

    // --- events ---

    @Test
    void an_event_is_processed_once() {
        String event = "evt_" + UUID.randomUUID();

        assertThat(store.markEventProcessed(event, T0)).isTrue();
        assertThat(store.markEventProcessed(event, T0.plusSeconds(1))).isFalse();
        assertThat(store.markEventProcessed("evt_" + UUID.randomUUID(), T0)).isTrue();
    }

    @Test
    void a_rolled_back_unit_of_work_leaves_the_event_unprocessed() {
        String event = "evt_" + UUID.randomUUID();

        assertThatThrownBy(() -> tx.inTransaction(s -> {
            s.payments().markEventProcessed(event, T0);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(store.markEventProcessed(event, T0)).isTrue();
    }

    // --- credited payments ---

    @Test
    void the_first_record_of_a_payment_wins_and_its_refunded_amount_can_be_updated() {
        String intent = "pi_" + UUID.randomUUID();
        CreditedPayment first = CreditedPayment.of(intent, org, "checkout:cs_1", 5_000, T0);
        store.insertPaymentIfAbsent(first);

        CreditedPayment winner = store.insertPaymentIfAbsent(
                CreditedPayment.of(intent, org, "checkout:cs_2", 9_000, T0));
        tx.inTransaction(stores -> {
            CreditedPayment locked = stores.payments().lockPayment(intent).orElseThrow();
            stores.payments().updatePayment(locked.withRefunded(1_500));
            return null;
        });

        assertThat(winner).isEqualTo(first);
        assertThat(store.lockPayment(intent)).contains(first.withRefunded(1_500));
        assertThat(store.findPayment(intent)).contains(first.withRefunded(1_500));
        assertThat(store.findPayment("pi_unknown")).isEmpty();
        assertThat(store.lockPayment("pi_unknown")).isEmpty();
    }

    // --- auto top-up settings ---

    @Test
    void settings_are_absent_until_saved_and_then_replaced_whole() {
        assertThat(store.autoTopupSettings(org)).isEmpty();
        AutoTopupSettings on = new AutoTopupSettings(org, true, 1_000, 2_500, T0, null, null, 0, null);
        AutoTopupSettings off = new AutoTopupSettings(org, false, 1_000, 2_500, T0, T0.plusSeconds(9),
                "card_declined", 3, "turned off after 3 consecutive failed charges");

        store.saveAutoTopupSettings(on);
        assertThat(store.autoTopupSettings(org)).contains(on);
        store.saveAutoTopupSettings(off);
        assertThat(store.autoTopupSettings(org)).contains(off);
        assertThat(store.autoTopupSettings(otherOrg)).isEmpty();
    }

    @Test
    void the_settings_of_a_whole_batch_of_orgs_are_read_at_once() {
        AutoTopupSettings on = new AutoTopupSettings(org, true, 1_000, 2_500, null, null, null, 0, null);
        store.saveAutoTopupSettings(on);
        assertThat(store.autoTopupSettings(List.of(org, otherOrg))).containsExactly(Map.entry(org, on));
        assertThat(store.autoTopupSettings(List.of(otherOrg))).isEmpty();
        assertThat(store.autoTopupSettings(List.of())).isEmpty();
    }

    // --- auto top-up attempts ---

    @Test
    void at_most_one_attempt_per_org_is_in_flight() {
        AutoTopupAttempt first = pending(org, T0);

        assertThat(store.insertAttemptIfNoneInFlight(first)).isTrue();
        assertThat(store.insertAttemptIfNoneInFlight(pending(org, T0.plusSeconds(1)))).isFalse();
        assertThat(store.insertAttemptIfNoneInFlight(pending(otherOrg, T0))).isTrue();
        assertThat(store.attempts(org, 10)).containsExactly(first);
    }

    @Test
    void charging_and_processing_attempts_are_in_flight_too() {
        AutoTopupAttempt first = pending(org, T0);
        store.insertAttemptIfNoneInFlight(first);

        update(first.claimed("cus_1", "pm_1", T0));
        assertThat(store.insertAttemptIfNoneInFlight(pending(org, T0))).isFalse();
        update(first.claimed("cus_1", "pm_1", T0).processing("pi_1", T0));
        assertThat(store.insertAttemptIfNoneInFlight(pending(org, T0))).isFalse();
    }

    @Test
    void once_an_attempt_has_ended_a_new_one_may_start() {
        AutoTopupAttempt first = pending(org, T0);
        store.insertAttemptIfNoneInFlight(first);
        update(first.claimed("cus_1", "pm_1", T0).failed("pi_1", "card_declined", "declined", T0.plusSeconds(1)));

        AutoTopupAttempt second = pending(org, T0.plusSeconds(2));
        assertThat(store.insertAttemptIfNoneInFlight(second)).isTrue();
        assertThat(store.attempts(org, 10)).extracting(AutoTopupAttempt::id)
                .containsExactly(second.id(), first.id());
        assertThat(store.attempts(org, 1)).extracting(AutoTopupAttempt::id).containsExactly(second.id());
    }

    @Test
    void an_attempt_reads_back_as_written() {
        AutoTopupAttempt attempt = pending(org, T0);
        store.insertAttemptIfNoneInFlight(attempt);
        AutoTopupAttempt charged = attempt.claimed("cus_1", "pm_1", T0.plusSeconds(1))
                .retryLater(T0.plusSeconds(31), T0.plusSeconds(1));
        update(charged);

        assertThat(store.findAttempt(attempt.id())).contains(charged);
        assertThat(store.lockAttempt(attempt.id())).contains(charged);
        assertThat(store.findAttempt(AutoTopupAttemptId.random())).isEmpty();
    }

    @Test
    void attempts_to_run_are_due_pending_ones_and_stale_claims_oldest_first() {
        Duration lease = Duration.ofMinutes(5);
        Instant now = T0.plus(Duration.ofHours(1));
        AutoTopupAttempt due = pending(org, T0);
        AutoTopupAttempt staleClaim = pending(otherOrg, T0.plusSeconds(1));
        OrgId third = newOrg();
        AutoTopupAttempt backingOff = pending(third, T0.plusSeconds(2));
        OrgId fourth = newOrg();
        AutoTopupAttempt freshClaim = pending(fourth, T0.plusSeconds(3));
        OrgId fifth = newOrg();
        AutoTopupAttempt processing = pending(fifth, T0.plusSeconds(4));
        for (AutoTopupAttempt a : List.of(due, staleClaim, backingOff, freshClaim, processing)) {
            store.insertAttemptIfNoneInFlight(a);
        }
        update(staleClaim.claimed("cus", "pm", now.minus(lease).minusSeconds(1)));
        update(backingOff.claimed("cus", "pm", T0).retryLater(now.plusSeconds(1), T0));
        update(freshClaim.claimed("cus", "pm", now.minus(lease)));
        update(processing.claimed("cus", "pm", T0).processing("pi", T0));

        List<AutoTopupAttempt> toRun = store.attemptsToRun(now, now.minus(lease), 100).stream()
                .filter(a -> List.of(due.id(), staleClaim.id(), backingOff.id(), freshClaim.id(), processing.id())
                        .contains(a.id()))
                .toList();

        assertThat(toRun).extracting(AutoTopupAttempt::id).containsExactly(due.id(), staleClaim.id());
    }

    @Test
    void attempts_to_run_respects_the_limit() {
        store.insertAttemptIfNoneInFlight(pending(org, T0));
        store.insertAttemptIfNoneInFlight(pending(otherOrg, T0));

        assertThat(store.attemptsToRun(T0, T0, 1)).hasSize(1);
    }

    @Test
    void a_rolled_back_attempt_is_not_kept() {
        AutoTopupAttempt attempt = pending(org, T0);

        assertThatThrownBy(() -> tx.inTransaction(s -> {
            s.payments().insertAttemptIfNoneInFlight(attempt);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(store.findAttempt(attempt.id())).isEmpty();
        assertThat(store.insertAttemptIfNoneInFlight(pending(org, T0))).isTrue();
    }

    // --- helpers ---

    /** The store under test with every call in a unit of work of its own. */
    private PaymentStore autoCommitting(Transactions transactions) {
        return (PaymentStore) Proxy.newProxyInstance(PaymentStore.class.getClassLoader(),
                new Class<?>[] {PaymentStore.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(this, args);
                    }
                    try {
                        return transactions.inTransaction(stores -> invoke(method, stores.payments(), args));
                    } catch (UndeclaredThrowableException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Object invoke(Method method, PaymentStore target, Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new UndeclaredThrowableException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private void update(AutoTopupAttempt attempt) {
        store.updateAttempt(attempt);
    }

    private OrgId newOrg() {
        OrgId id = new OrgId(UUID.randomUUID());
        tx.inTransaction(s -> {
            s.directory().insertOrg(new Org(id, "Org " + id, "free", T0));
            s.ledger().createAccount(id, T0);
            return null;
        });
        return id;
    }

    private static CheckoutRecord checkout(String session, OrgId orgId, long cents, String key) {
        return CheckoutRecord.opened(session, orgId, cents, "https://checkout.example/" + session, key, "fp-" + cents,
                T0);
    }

    private static AutoTopupAttempt pending(OrgId orgId, Instant at) {
        return AutoTopupAttempt.pending(AutoTopupAttemptId.random(), orgId, 2_500, at);
    }
}
