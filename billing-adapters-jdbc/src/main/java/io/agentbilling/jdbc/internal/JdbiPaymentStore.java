package io.agentbilling.jdbc.internal;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.AutoTopupMode;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CreditedPayment;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.PaymentStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * {@link PaymentStore} on PostgreSQL. Every insert-if-absent is {@code INSERT … ON CONFLICT DO NOTHING RETURNING}
 * and, when nothing came back, a read of the row that won: at READ COMMITTED the conflict waits for the winner's
 * transaction, and the next statement sees its commit. At most one auto top-up attempt per org is in flight because
 * of a partial unique index, which the attempt insert names as its arbiter. Not thread-safe (one handle).
 */
public final class JdbiPaymentStore implements PaymentStore {
    /** The predicate of the index {@code auto_topup_attempts_one_in_flight}; an arbiter must repeat it. */
    private static final String IN_FLIGHT = "status IN ('pending', 'charging', 'processing')";

    private final Handle handle;

    JdbiPaymentStore(Handle handle) {
        this.handle = handle;
    }

    // --- provider customer and saved card ---

    @Override
    public Optional<PaymentProfile> profile(OrgId orgId) {
        return handle.createQuery("SELECT * FROM payment_profiles WHERE org_id = :org")
                .bind("org", orgId.value())
                .map((rs, ctx) -> profile(rs))
                .findOne();
    }

    @Override
    public PaymentProfile saveCustomerIfAbsent(OrgId orgId, String customerId, Instant at) {
        PaymentProfile created = PaymentProfile.of(orgId, customerId, at);
        Optional<PaymentProfile> inserted = handle.createQuery("""
                        INSERT INTO payment_profiles (org_id, customer_id, payment_method_id, created_at, updated_at)
                        VALUES (:org, :customer, NULL, :at, :at)
                        ON CONFLICT (org_id) DO NOTHING
                        RETURNING *""")
                .bind("org", orgId.value())
                .bind("customer", created.customerId())
                .bind("at", at)
                .map((rs, ctx) -> profile(rs))
                .findOne();
        return inserted.or(() -> profile(orgId)).orElseThrow(() -> lostWinner("payment profile of " + orgId));
    }

    @Override
    public PaymentProfile savePaymentMethod(OrgId orgId, String paymentMethodId, Instant at) {
        return handle.createQuery("UPDATE payment_profiles SET payment_method_id = :pm, updated_at = :at"
                        + " WHERE org_id = :org RETURNING *")
                .bind("org", orgId.value())
                .bind("pm", paymentMethodId)
                .bind("at", at)
                .map((rs, ctx) -> profile(rs))
                .findOne()
                .orElseThrow(() -> new IllegalStateException("no payment profile for " + orgId));
    }

    // --- checkout sessions ---

    @Override
    public CheckoutRecord insertCheckoutIfAbsent(CheckoutRecord record) {
        // No conflict target: both the session id and the partial unique index on (org, key) are arbiters.
        Optional<CheckoutRecord> inserted = handle.createQuery("""
                        INSERT INTO checkouts (org_id, session_id, amount_cents, checkout_url, idempotency_key,
                            fingerprint, created_at, failure_reason, failed_at)
                        VALUES (:org, :session, :amount, :url, :key, :fingerprint, :created, :reason, :failed)
                        ON CONFLICT DO NOTHING
                        RETURNING *""")
                .bind("org", record.orgId().value())
                .bind("session", record.sessionId())
                .bind("amount", record.amountCents())
                .bind("url", record.checkoutUrl())
                .bind("key", record.idempotencyKey())
                .bind("fingerprint", record.fingerprint())
                .bind("created", record.createdAt())
                .bind("reason", record.failureReason())
                .bind("failed", record.failedAt())
                .map((rs, ctx) -> checkout(rs))
                .findOne();
        if (inserted.isPresent()) {
            return inserted.get();
        }
        return findCheckout(record.sessionId())
                .or(() -> record.idempotencyKey() == null ? Optional.empty()
                        : findCheckoutByKey(record.orgId(), record.idempotencyKey()))
                .orElseThrow(() -> lostWinner("checkout " + record.sessionId()));
    }

    @Override
    public Optional<CheckoutRecord> findCheckout(String sessionId) {
        return handle.createQuery("SELECT * FROM checkouts WHERE session_id = :session")
                .bind("session", sessionId)
                .map((rs, ctx) -> checkout(rs))
                .findOne();
    }

    @Override
    public Optional<CheckoutRecord> findCheckoutByKey(OrgId orgId, String idempotencyKey) {
        return handle.createQuery("SELECT * FROM checkouts WHERE org_id = :org AND idempotency_key = :key")
                .bind("org", orgId.value())
                .bind("key", idempotencyKey)
                .map((rs, ctx) -> checkout(rs))
                .findOne();
    }

    @Override
    public Optional<CheckoutRecord> markCheckoutFailed(String sessionId, String reason, Instant at) {
        // COALESCE keeps the first failure when a session is reported failed twice; both columns are set together.
        return handle.createQuery("UPDATE checkouts SET failure_reason = COALESCE(failure_reason, :reason),"
                        + " failed_at = COALESCE(failed_at, :at) WHERE session_id = :session RETURNING *")
                .bind("session", sessionId)
                .bind("reason", reason)
                .bind("at", at)
                .map((rs, ctx) -> checkout(rs))
                .findOne();
    }

    // --- webhook events ---

    @Override
    public boolean markEventProcessed(String eventId, Instant at) {
        return handle.createUpdate("INSERT INTO processed_webhook_events (event_id, processed_at) VALUES (:event, :at)"
                        + " ON CONFLICT (event_id) DO NOTHING")
                .bind("event", eventId)
                .bind("at", at)
                .execute() == 1;
    }

    // --- credited payments ---

    @Override
    public CreditedPayment insertPaymentIfAbsent(CreditedPayment payment) {
        Optional<CreditedPayment> inserted = handle.createQuery("""
                        INSERT INTO credited_payments (org_id, payment_intent_id, source, credited_cents,
                            refunded_cents, created_at)
                        VALUES (:org, :intent, :source, :credited, :refunded, :at)
                        ON CONFLICT (payment_intent_id) DO NOTHING
                        RETURNING *""")
                .bind("org", payment.orgId().value())
                .bind("intent", payment.paymentIntentId())
                .bind("source", payment.source())
                .bind("credited", payment.creditedCents())
                .bind("refunded", payment.refundedCents())
                .bind("at", payment.createdAt())
                .map((rs, ctx) -> creditedPayment(rs))
                .findOne();
        return inserted.or(() -> findPayment(payment.paymentIntentId()))
                .orElseThrow(() -> lostWinner("credited payment " + payment.paymentIntentId()));
    }

    @Override
    public Optional<CreditedPayment> findPayment(String paymentIntentId) {
        return selectPayment(paymentIntentId, "");
    }

    @Override
    public Optional<CreditedPayment> lockPayment(String paymentIntentId) {
        return selectPayment(paymentIntentId, " FOR UPDATE");
    }

    private Optional<CreditedPayment> selectPayment(String paymentIntentId, String lock) {
        return handle.createQuery("SELECT * FROM credited_payments WHERE payment_intent_id = :intent" + lock)
                .bind("intent", paymentIntentId)
                .map((rs, ctx) -> creditedPayment(rs))
                .findOne();
    }

    @Override
    public void updatePayment(CreditedPayment payment) {
        int updated = handle.createUpdate("UPDATE credited_payments SET refunded_cents = :refunded"
                        + " WHERE payment_intent_id = :intent AND org_id = :org")
                .bind("intent", payment.paymentIntentId())
                .bind("org", payment.orgId().value())
                .bind("refunded", payment.refundedCents())
                .execute();
        if (updated != 1) {
            throw new IllegalStateException("no credited payment " + payment.paymentIntentId() + " of "
                    + payment.orgId());
        }
    }

    // --- auto top-up settings ---

    @Override
    public Optional<AutoTopupSettings> autoTopupSettings(OrgId orgId) {
        return handle.createQuery("SELECT * FROM auto_topup_settings WHERE org_id = :org")
                .bind("org", orgId.value())
                .map((rs, ctx) -> settings(rs))
                .findOne();
    }

    /** One query for every debited org of a settlement batch. */
    @Override
    public Map<OrgId, AutoTopupSettings> autoTopupSettings(Collection<OrgId> orgIds) {
        if (orgIds.isEmpty()) {
            return Map.of();
        }
        Map<OrgId, AutoTopupSettings> found = new HashMap<>();
        handle.createQuery("SELECT * FROM auto_topup_settings WHERE org_id = ANY(:orgs)")
                .bindArray("orgs", UUID.class, orgIds.stream().map(OrgId::value).distinct().toList())
                .map((rs, ctx) -> settings(rs))
                .forEach(settings -> found.put(settings.orgId(), settings));
        return found;
    }

    @Override
    public void saveAutoTopupSettings(AutoTopupSettings settings) {
        handle.createUpdate("""
                        INSERT INTO auto_topup_settings (org_id, enabled, threshold_cents, topup_amount_cents,
                            last_topup_at, last_failure_at, last_failure_reason, consecutive_failures, disabled_reason,
                            mode, target_balance_cents, monthly_cap_cents)
                        VALUES (:org, :enabled, :threshold, :amount, :lastTopup, :lastFailure, :failureReason,
                            :failures, :disabledReason, :mode, :target, :monthlyCap)
                        ON CONFLICT (org_id) DO UPDATE SET
                            enabled = excluded.enabled,
                            threshold_cents = excluded.threshold_cents,
                            topup_amount_cents = excluded.topup_amount_cents,
                            last_topup_at = excluded.last_topup_at,
                            last_failure_at = excluded.last_failure_at,
                            last_failure_reason = excluded.last_failure_reason,
                            consecutive_failures = excluded.consecutive_failures,
                            disabled_reason = excluded.disabled_reason,
                            mode = excluded.mode,
                            target_balance_cents = excluded.target_balance_cents,
                            monthly_cap_cents = excluded.monthly_cap_cents""")
                .bind("org", settings.orgId().value())
                .bind("enabled", settings.enabled())
                .bind("threshold", settings.thresholdCents())
                .bind("amount", settings.topupAmountCents())
                .bind("lastTopup", settings.lastTopupAt())
                .bind("lastFailure", settings.lastFailureAt())
                .bind("failureReason", settings.lastFailureReason())
                .bind("failures", settings.consecutiveFailures())
                .bind("disabledReason", settings.disabledReason())
                .bind("mode", settings.mode().wireName())
                .bind("target", settings.targetBalanceCents())
                .bind("monthlyCap", settings.monthlyCapCents())
                .execute();
    }

    // --- auto top-up attempts ---

    @Override
    public boolean insertAttemptIfNoneInFlight(AutoTopupAttempt attempt) {
        // The arbiter is the partial index, so only "another attempt in flight" is a quiet no-op; a reused attempt id
        // still fails on the primary key, as it should.
        return bindAttempt(handle.createUpdate("""
                        INSERT INTO auto_topup_attempts (org_id, attempt_id, amount_cents, status, created_at,
                            updated_at, customer_id, payment_method_id, provider_retries, next_attempt_at, claimed_at,
                            payment_intent_id, failure_code, failure_message)
                        VALUES (:org, :id, :amount, :status, :created, :updated, :customer, :pm, :retries, :next,
                            :claimed, :intent, :failureCode, :failureMessage)
                        ON CONFLICT (org_id) WHERE %s DO NOTHING""".formatted(IN_FLIGHT)), attempt)
                .execute() == 1;
    }

    @Override
    public Optional<AutoTopupAttempt> findAttempt(AutoTopupAttemptId id) {
        return selectAttempt(id, "");
    }

    @Override
    public Optional<AutoTopupAttempt> lockAttempt(AutoTopupAttemptId id) {
        return selectAttempt(id, " FOR UPDATE");
    }

    private Optional<AutoTopupAttempt> selectAttempt(AutoTopupAttemptId id, String lock) {
        return handle.createQuery("SELECT * FROM auto_topup_attempts WHERE attempt_id = :id" + lock)
                .bind("id", id.value())
                .map((rs, ctx) -> attempt(rs))
                .findOne();
    }

    @Override
    public void updateAttempt(AutoTopupAttempt attempt) {
        // A second attempt put in flight violates the partial unique index; the unit of work then fails as a conflict.
        int updated = bindAttempt(handle.createUpdate("""
                        UPDATE auto_topup_attempts SET amount_cents = :amount, status = :status, created_at = :created,
                            updated_at = :updated, customer_id = :customer, payment_method_id = :pm,
                            provider_retries = :retries, next_attempt_at = :next, claimed_at = :claimed,
                            payment_intent_id = :intent, failure_code = :failureCode, failure_message = :failureMessage
                        WHERE attempt_id = :id AND org_id = :org"""), attempt)
                .execute();
        if (updated != 1) {
            throw new IllegalStateException("no attempt " + attempt.id() + " of " + attempt.orgId());
        }
    }

    @Override
    public List<AutoTopupAttempt> attemptsToRun(Instant now, Instant staleClaimBefore, int limit) {
        // The first condition is the predicate of the partial index auto_topup_attempts_to_run, written out so the
        // planner need not prove it from the two arms after it.
        return handle.createQuery("""
                        SELECT * FROM auto_topup_attempts
                        WHERE status IN ('pending', 'charging')
                          AND ((status = 'pending' AND next_attempt_at <= :now)
                            OR (status = 'charging' AND claimed_at < :stale))
                        ORDER BY created_at, attempt_id
                        LIMIT :limit""")
                .bind("now", now)
                .bind("stale", staleClaimBefore)
                .bind("limit", limit)
                .map((rs, ctx) -> attempt(rs))
                .list();
    }

    @Override
    public List<AutoTopupAttempt> attempts(OrgId orgId, int limit) {
        return handle.createQuery("SELECT * FROM auto_topup_attempts WHERE org_id = :org"
                        + " ORDER BY created_at DESC, attempt_id DESC LIMIT :limit")
                .bind("org", orgId.value())
                .bind("limit", limit)
                .map((rs, ctx) -> attempt(rs))
                .list();
    }

    /** Binds every column of an attempt, for the insert and the update, which write the record whole. */
    private static Update bindAttempt(Update statement, AutoTopupAttempt attempt) {
        return statement
                .bind("org", attempt.orgId().value())
                .bind("id", attempt.id().value())
                .bind("amount", attempt.amountCents())
                .bind("status", attempt.status().wireName())
                .bind("created", attempt.createdAt())
                .bind("updated", attempt.updatedAt())
                .bind("customer", attempt.customerId())
                .bind("pm", attempt.paymentMethodId())
                .bind("retries", attempt.providerRetries())
                .bind("next", attempt.nextAttemptAt())
                .bind("claimed", attempt.claimedAt())
                .bind("intent", attempt.paymentIntentId())
                .bind("failureCode", attempt.failureCode())
                .bind("failureMessage", attempt.failureMessage());
    }

    /** An insert conflicted yet the row it conflicted with cannot be read: only a bug or a changed schema does that. */
    private static IllegalStateException lostWinner(String what) {
        return new IllegalStateException(what + " conflicted on insert but cannot be read");
    }

    private static PaymentProfile profile(ResultSet rs) throws SQLException {
        return new PaymentProfile(new OrgId(Rows.uuid(rs, "org_id")), rs.getString("customer_id"),
                rs.getString("payment_method_id"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

    private static CheckoutRecord checkout(ResultSet rs) throws SQLException {
        return new CheckoutRecord(rs.getString("session_id"), new OrgId(Rows.uuid(rs, "org_id")),
                rs.getLong("amount_cents"), rs.getString("checkout_url"), rs.getString("idempotency_key"),
                rs.getString("fingerprint"), Rows.instant(rs, "created_at"), rs.getString("failure_reason"),
                Rows.instant(rs, "failed_at"));
    }

    private static CreditedPayment creditedPayment(ResultSet rs) throws SQLException {
        return new CreditedPayment(rs.getString("payment_intent_id"), new OrgId(Rows.uuid(rs, "org_id")),
                rs.getString("source"), rs.getLong("credited_cents"), rs.getLong("refunded_cents"),
                Rows.instant(rs, "created_at"));
    }

    /** One query: the in-flight and succeeded attempts of the org created at or after {@code since}. */
    @Override
    public long autoTopupCentsSince(OrgId orgId, Instant since) {
        return handle.createQuery("SELECT COALESCE(SUM(amount_cents), 0)::bigint FROM auto_topup_attempts"
                        + " WHERE org_id = :org AND created_at >= :since"
                        + " AND status IN ('pending', 'charging', 'processing', 'succeeded')")
                .bind("org", orgId.value())
                .bind("since", since)
                .mapTo(Long.class)
                .one();
    }

    private static AutoTopupSettings settings(ResultSet rs) throws SQLException {
        return new AutoTopupSettings(new OrgId(Rows.uuid(rs, "org_id")), rs.getBoolean("enabled"),
                rs.getLong("threshold_cents"), rs.getLong("topup_amount_cents"), Rows.instant(rs, "last_topup_at"),
                Rows.instant(rs, "last_failure_at"), rs.getString("last_failure_reason"),
                rs.getInt("consecutive_failures"), rs.getString("disabled_reason"),
                AutoTopupMode.fromWireName(rs.getString("mode")).orElseThrow(),
                rs.getObject("target_balance_cents", Long.class), rs.getObject("monthly_cap_cents", Long.class));
    }

    private static AutoTopupAttempt attempt(ResultSet rs) throws SQLException {
        return new AutoTopupAttempt(new AutoTopupAttemptId(Rows.uuid(rs, "attempt_id")),
                new OrgId(Rows.uuid(rs, "org_id")), rs.getLong("amount_cents"),
                AutoTopupAttempt.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), rs.getString("customer_id"),
                rs.getString("payment_method_id"), rs.getInt("provider_retries"), Rows.instant(rs, "next_attempt_at"),
                Rows.instant(rs, "claimed_at"), rs.getString("payment_intent_id"), rs.getString("failure_code"),
                rs.getString("failure_message"));
    }
}
