package io.agentbilling.jdbc;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CreditedPayment;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.PaymentStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@link PaymentStore} on PostgreSQL — a placeholder that compiles against the port and refuses every call; the real
 * store (and its V2 migration) comes from the jdbc-payments branch, which replaces this file wholesale.
 */
final class JdbiPaymentStore implements PaymentStore {
    private final Handle handle;

    JdbiPaymentStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public Optional<PaymentProfile> profile(OrgId orgId) {
        throw notYet();
    }

    @Override
    public PaymentProfile saveCustomerIfAbsent(OrgId orgId, String customerId, Instant at) {
        throw notYet();
    }

    @Override
    public PaymentProfile savePaymentMethod(OrgId orgId, String paymentMethodId, Instant at) {
        throw notYet();
    }

    @Override
    public CheckoutRecord insertCheckoutIfAbsent(CheckoutRecord record) {
        throw notYet();
    }

    @Override
    public Optional<CheckoutRecord> findCheckout(String sessionId) {
        throw notYet();
    }

    @Override
    public Optional<CheckoutRecord> findCheckoutByKey(OrgId orgId, String idempotencyKey) {
        throw notYet();
    }

    @Override
    public Optional<CheckoutRecord> markCheckoutFailed(String sessionId, String reason, Instant at) {
        throw notYet();
    }

    @Override
    public boolean markEventProcessed(String eventId, Instant at) {
        throw notYet();
    }

    @Override
    public CreditedPayment insertPaymentIfAbsent(CreditedPayment payment) {
        throw notYet();
    }

    @Override
    public Optional<CreditedPayment> findPayment(String paymentIntentId) {
        throw notYet();
    }

    @Override
    public Optional<CreditedPayment> lockPayment(String paymentIntentId) {
        throw notYet();
    }

    @Override
    public void updatePayment(CreditedPayment payment) {
        throw notYet();
    }

    @Override
    public Optional<AutoTopupSettings> autoTopupSettings(OrgId orgId) {
        throw notYet();
    }

    @Override
    public void saveAutoTopupSettings(AutoTopupSettings settings) {
        throw notYet();
    }

    @Override
    public boolean insertAttemptIfNoneInFlight(AutoTopupAttempt attempt) {
        throw notYet();
    }

    @Override
    public Optional<AutoTopupAttempt> findAttempt(AutoTopupAttemptId id) {
        throw notYet();
    }

    @Override
    public Optional<AutoTopupAttempt> lockAttempt(AutoTopupAttemptId id) {
        throw notYet();
    }

    @Override
    public void updateAttempt(AutoTopupAttempt attempt) {
        throw notYet();
    }

    @Override
    public List<AutoTopupAttempt> attemptsToRun(Instant now, Instant staleClaimBefore, int limit) {
        throw notYet();
    }

    @Override
    public List<AutoTopupAttempt> attempts(OrgId orgId, int limit) {
        throw notYet();
    }

    private static UnsupportedOperationException notYet() {
        return new UnsupportedOperationException("the PostgreSQL payment store is not implemented on this branch");
    }
}
