package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.settlement.internal.Settler;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import io.agentbilling.core.usage.UsageWindow;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Settles one model call (API.md Part B {@code model-usage}): charges the Platform price of its tokens in force when
 * it happened, or nothing for a BYOK call (still recorded as usage). An unknown Platform model is
 * {@code unknown_model} unless the catalog has a default price. Thread-safe.
 */
public final class SettleModelUsage {
    static final String RESOURCE = "model";

    private final SettlementPricer pricer;
    private final Settler settler;

    public SettleModelUsage(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /**
     * @param inputTokens       uncached input tokens
     * @param cachedInputTokens input tokens served from the prompt cache (priced separately)
     * @param referenceId       the caller's request id; optional
     * @param occurredAt        when the call happened; null = now; within the {@link UsageWindow} and not before
     *                          the org was created (422 otherwise)
     */
    public record Command(OrgId orgId, MemberId memberId, String model, long inputTokens, long outputTokens,
                          long cachedInputTokens, boolean byok, String referenceId, Instant occurredAt,
                          String idempotencyKey) implements SettlementCommand {}

    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    static PostingEngine.Request request(Command c, PriceBook prices, Instant now, UsageWindow window) {
        Checks.required("orgId", c.orgId());
        Checks.required("memberId", c.memberId());
        Checks.name("model", c.model(), Checks.MAX_NAME_LENGTH);
        Checks.nonNegative("inputTokens", c.inputTokens());
        Checks.nonNegative("outputTokens", c.outputTokens());
        Checks.nonNegative("cachedInputTokens", c.cachedInputTokens());
        Checks.atMost("inputTokens", c.inputTokens(), Checks.MAX_TOKENS);
        Checks.atMost("outputTokens", c.outputTokens(), Checks.MAX_TOKENS);
        Checks.atMost("cachedInputTokens", c.cachedInputTokens(), Checks.MAX_TOKENS);
        if (c.inputTokens() == 0 && c.outputTokens() == 0 && c.cachedInputTokens() == 0) {
            throw BillingException.invalid("inputTokens", "a model call needs at least one token");
        }
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());
        Instant at = c.occurredAt() == null ? now : window.usageAt("occurredAt", c.occurredAt(), now);

        Credits charge = prices.inForceAt(at).chargeForModel(c.model(), c.byok(), c.inputTokens(),
                c.outputTokens(), c.cachedInputTokens());
        String fingerprint = Fingerprint.of("model", c.memberId(), c.model(), c.inputTokens(), c.outputTokens(),
                c.cachedInputTokens(), c.byok(), Checks.canonical(c.referenceId()), c.occurredAt());
        String description = (c.byok() ? "model usage (BYOK): " : "model usage: ") + c.model();
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(RESOURCE, description).withReference(c.referenceId()), c.idempotencyKey(), fingerprint);
        UsageAmounts usage = UsageAmounts.model(c.memberId(), c.model(), c.byok(), c.inputTokens(), c.outputTokens(),
                c.cachedInputTokens(), charge);
        return new PostingEngine.Request(posting, List.of(usage), at, c.occurredAt() == null ? null : "occurredAt");
    }
}
