package io.agentbilling.core.webhooks;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.LimitKind;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The events the engine records, one factory per type: each names its cause (so recording it twice is one event,
 * see {@link WebhookEvent#idFor}) and writes its {@code data}. Amounts are cents with an exact {@code …Micros}
 * sibling where the figure can carry a fraction of a cent, as in the API. Stateless.
 */
public final class Events {
    private Events() {}

    /** A debit took the balance from at or above {@code threshold} to below it, at {@code entry}. */
    public static WebhookEvent balanceLow(LedgerEntry entry, Credits threshold, Instant at) {
        return WebhookEvent.of(entry.orgId(), WebhookEventType.BALANCE_LOW, "entry:" + entry.id(), at,
                balance(entry).put("thresholdCents", threshold.toCentsFloor()));
    }

    /** A debit took the balance from above zero to zero or below, at {@code entry}. */
    public static WebhookEvent balanceDepleted(LedgerEntry entry, Instant at) {
        return WebhookEvent.of(entry.orgId(), WebhookEventType.BALANCE_DEPLETED, "entry:" + entry.id(), at,
                balance(entry));
    }

    /** A card top-up ({@code topup}) or an auto top-up ({@code auto_topup}) landed on the ledger as {@code entry}. */
    public static WebhookEvent topupSucceeded(LedgerEntry entry, boolean automatic, Instant at) {
        WebhookEventType type = automatic ? WebhookEventType.AUTO_TOPUP_SUCCEEDED : WebhookEventType.TOPUP_SUCCEEDED;
        JsonObject data = new JsonObject().putText("entryId", entry.id())
                .put("amountCents", entry.amount().toCentsHalfEven())
                .put("balanceCents", entry.balanceAfter().toCentsFloor())
                .put("balanceMicros", entry.balanceAfter().micros())
                .put("referenceId", entry.referenceId());
        return WebhookEvent.of(entry.orgId(), type, "entry:" + entry.id(), at, data);
    }

    /** A checkout's payment failed (e.g. an asynchronous payment that did not clear). */
    public static WebhookEvent topupFailed(CheckoutRecord checkout, Instant at) {
        JsonObject data = new JsonObject().put("sessionId", checkout.sessionId())
                .put("amountCents", checkout.amountCents()).put("reason", checkout.failureReason());
        return WebhookEvent.of(checkout.orgId(), WebhookEventType.TOPUP_FAILED, "checkout:" + checkout.sessionId(),
                at, data);
    }

    /** An auto top-up charge failed ({@code attempt} as recorded failed). */
    public static WebhookEvent autoTopupFailed(AutoTopupAttempt attempt, int consecutiveFailures, Instant at) {
        JsonObject data = new JsonObject().putText("attemptId", attempt.id())
                .put("amountCents", attempt.amountCents()).put("reason", attempt.failureCode())
                .put("message", attempt.failureMessage()).put("consecutiveFailures", consecutiveFailures);
        return WebhookEvent.of(attempt.orgId(), WebhookEventType.AUTO_TOPUP_FAILED, "attempt:" + attempt.id(), at,
                data);
    }

    /** Auto top-up turned itself off after the failure of {@code attempt}. */
    public static WebhookEvent autoTopupDisabled(AutoTopupAttempt attempt, String reason, Instant at) {
        JsonObject data = new JsonObject().putText("attemptId", attempt.id()).put("reason", reason);
        return WebhookEvent.of(attempt.orgId(), WebhookEventType.AUTO_TOPUP_DISABLED, "attempt:" + attempt.id(), at,
                data);
    }

    /** A hold's time ran out. */
    public static WebhookEvent holdExpired(Hold hold, Instant at) {
        JsonObject data = new JsonObject().putText("holdId", hold.id())
                .put("amountCents", hold.amount().toCentsHalfEven())
                .put("capturedCents", hold.captured().toCentsHalfEven())
                .putText("memberId", hold.memberId()).putText("apiKeyId", hold.apiKeyId())
                .putText("expiresAt", hold.expiresAt());
        return WebhookEvent.of(hold.orgId(), WebhookEventType.HOLD_EXPIRED, "hold:" + hold.id(), at, data);
    }

    /**
     * A member's spend reached {@code percent}% of a budget limit in the period starting {@code periodStart}; once
     * per member, limit kind, period, limit and percentage (a raised limit can be reached again).
     */
    public static WebhookEvent budgetThreshold(OrgId orgId, MemberId memberId, LimitKind limit, LocalDate periodStart,
                                               Credits limitAmount, Credits spent, int percent, Instant at) {
        String cause = "budget:" + memberId + ":" + limit.wireName() + ":" + periodStart + ":" + limitAmount.micros()
                + ":" + percent;
        JsonObject data = new JsonObject().putText("memberId", memberId).put("limit", limit.wireName())
                .put("percent", percent).putText("periodStart", periodStart)
                .put("limitCents", limitAmount.toCentsHalfEven()).put("spentCents", spent.toCentsHalfEven())
                .put("spentMicros", spent.micros());
        return WebhookEvent.of(orgId, WebhookEventType.BUDGET_THRESHOLD, cause, at, data);
    }

    private static JsonObject balance(LedgerEntry entry) {
        return new JsonObject().putText("entryId", entry.id())
                .put("balanceCents", entry.balanceAfter().toCentsFloor())
                .put("balanceMicros", entry.balanceAfter().micros());
    }
}
