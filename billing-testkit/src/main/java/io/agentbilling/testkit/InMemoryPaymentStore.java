package io.agentbilling.testkit;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CreditedPayment;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.PaymentStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * In-memory {@link PaymentStore}; mutations are journaled for rollback by {@link InMemoryTransactions}, whose global
 * lock makes every insert-if-absent trivially atomic and every {@code lock…} method a no-op.
 */
final class InMemoryPaymentStore implements PaymentStore {
    private final InMemoryTransactions tx;
    private final Map<OrgId, PaymentProfile> profiles = new HashMap<>();
    private final Map<String, CheckoutRecord> checkouts = new LinkedHashMap<>();
    private final Map<String, Instant> processedEvents = new HashMap<>();
    private final Map<String, CreditedPayment> payments = new HashMap<>();
    private final Map<OrgId, AutoTopupSettings> settings = new HashMap<>();
    private final Map<AutoTopupAttemptId, AutoTopupAttempt> attempts = new LinkedHashMap<>();

    InMemoryPaymentStore(InMemoryTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<PaymentProfile> profile(OrgId orgId) {
        tx.requireTransaction();
        return Optional.ofNullable(profiles.get(orgId));
    }

    @Override
    public PaymentProfile saveCustomerIfAbsent(OrgId orgId, String customerId, Instant at) {
        tx.requireTransaction();
        PaymentProfile existing = profiles.get(orgId);
        if (existing != null) {
            return existing;
        }
        PaymentProfile created = PaymentProfile.of(orgId, customerId, at);
        put(profiles, orgId, created);
        return created;
    }

    @Override
    public PaymentProfile savePaymentMethod(OrgId orgId, String paymentMethodId, Instant at) {
        tx.requireTransaction();
        PaymentProfile existing = profiles.get(orgId);
        if (existing == null) {
            throw new IllegalStateException("no payment profile for " + orgId);
        }
        PaymentProfile updated = existing.withPaymentMethod(paymentMethodId, at);
        put(profiles, orgId, updated);
        return updated;
    }

    @Override
    public CheckoutRecord insertCheckoutIfAbsent(CheckoutRecord record) {
        tx.requireTransaction();
        CheckoutRecord bySession = checkouts.get(record.sessionId());
        if (bySession != null) {
            return bySession;
        }
        if (record.idempotencyKey() != null) {
            Optional<CheckoutRecord> byKey = findCheckoutByKey(record.orgId(), record.idempotencyKey());
            if (byKey.isPresent()) {
                return byKey.get();
            }
        }
        put(checkouts, record.sessionId(), record);
        return record;
    }

    @Override
    public Optional<CheckoutRecord> findCheckout(String sessionId) {
        tx.requireTransaction();
        return Optional.ofNullable(checkouts.get(sessionId));
    }

    @Override
    public Optional<CheckoutRecord> findCheckoutByKey(OrgId orgId, String idempotencyKey) {
        tx.requireTransaction();
        return checkouts.values().stream()
                .filter(c -> c.orgId().equals(orgId) && Objects.equals(c.idempotencyKey(), idempotencyKey))
                .findFirst();
    }

    @Override
    public Optional<CheckoutRecord> markCheckoutFailed(String sessionId, String reason, Instant at) {
        tx.requireTransaction();
        CheckoutRecord existing = checkouts.get(sessionId);
        if (existing == null || existing.failedAt() != null) {
            return Optional.ofNullable(existing);
        }
        CheckoutRecord failed = existing.failed(reason, at);
        put(checkouts, sessionId, failed);
        return Optional.of(failed);
    }

    @Override
    public boolean markEventProcessed(String eventId, Instant at) {
        tx.requireTransaction();
        if (processedEvents.containsKey(eventId)) {
            return false;
        }
        put(processedEvents, eventId, at);
        return true;
    }

    @Override
    public CreditedPayment insertPaymentIfAbsent(CreditedPayment payment) {
        tx.requireTransaction();
        CreditedPayment existing = payments.get(payment.paymentIntentId());
        if (existing != null) {
            return existing;
        }
        put(payments, payment.paymentIntentId(), payment);
        return payment;
    }

    @Override
    public Optional<CreditedPayment> findPayment(String paymentIntentId) {
        tx.requireTransaction();
        return Optional.ofNullable(payments.get(paymentIntentId));
    }

    @Override
    public Optional<CreditedPayment> lockPayment(String paymentIntentId) {
        return findPayment(paymentIntentId);
    }

    @Override
    public void updatePayment(CreditedPayment payment) {
        tx.requireTransaction();
        CreditedPayment existing = payments.get(payment.paymentIntentId());
        if (existing == null) {
            throw new IllegalStateException("no credited payment " + payment.paymentIntentId());
        }
        put(payments, payment.paymentIntentId(), payment);
    }

    @Override
    public Optional<AutoTopupSettings> autoTopupSettings(OrgId orgId) {
        tx.requireTransaction();
        return Optional.ofNullable(settings.get(orgId));
    }

    @Override
    public void saveAutoTopupSettings(AutoTopupSettings newSettings) {
        tx.requireTransaction();
        put(settings, newSettings.orgId(), newSettings);
    }

    @Override
    public boolean insertAttemptIfNoneInFlight(AutoTopupAttempt attempt) {
        tx.requireTransaction();
        if (attempts.containsKey(attempt.id())) {
            throw new IllegalStateException("attempt exists: " + attempt.id());
        }
        if (attempt.status().inFlight() && hasInFlight(attempt.orgId(), null)) {
            return false;
        }
        put(attempts, attempt.id(), attempt);
        return true;
    }

    @Override
    public Optional<AutoTopupAttempt> findAttempt(AutoTopupAttemptId id) {
        tx.requireTransaction();
        return Optional.ofNullable(attempts.get(id));
    }

    @Override
    public Optional<AutoTopupAttempt> lockAttempt(AutoTopupAttemptId id) {
        return findAttempt(id);
    }

    @Override
    public void updateAttempt(AutoTopupAttempt attempt) {
        tx.requireTransaction();
        AutoTopupAttempt existing = attempts.get(attempt.id());
        if (existing == null || !existing.orgId().equals(attempt.orgId())) {
            throw new IllegalStateException("no attempt " + attempt.id() + " of " + attempt.orgId());
        }
        if (attempt.status().inFlight() && hasInFlight(attempt.orgId(), attempt.id())) {
            throw new IllegalStateException("another attempt of " + attempt.orgId() + " is in flight");
        }
        put(attempts, attempt.id(), attempt);
    }

    @Override
    public List<AutoTopupAttempt> attemptsToRun(Instant now, Instant staleClaimBefore, int limit) {
        tx.requireTransaction();
        return attempts.values().stream()
                .filter(a -> (a.status() == AutoTopupAttempt.Status.PENDING && !a.nextAttemptAt().isAfter(now))
                        || (a.status() == AutoTopupAttempt.Status.CHARGING && a.claimedAt().isBefore(staleClaimBefore)))
                .sorted(Comparator.comparing(AutoTopupAttempt::createdAt).thenComparing(a -> a.id().value()))
                .limit(limit)
                .toList();
    }

    @Override
    public List<AutoTopupAttempt> attempts(OrgId orgId, int limit) {
        tx.requireTransaction();
        return attempts.values().stream()
                .filter(a -> a.orgId().equals(orgId))
                .sorted(Comparator.comparing(AutoTopupAttempt::createdAt).thenComparing(a -> a.id().value())
                        .reversed())
                .limit(limit)
                .toList();
    }

    private boolean hasInFlight(OrgId orgId, AutoTopupAttemptId except) {
        return attempts.values().stream()
                .anyMatch(a -> a.orgId().equals(orgId) && a.status().inFlight() && !a.id().equals(except));
    }

    /** Puts a value and journals how to restore the previous one. */
    private <K, V> void put(Map<K, V> map, K key, V value) {
        V previous = map.put(key, value);
        tx.onRollback(() -> {
            if (previous == null) {
                map.remove(key);
            } else {
                map.put(key, previous);
            }
        });
    }
}
