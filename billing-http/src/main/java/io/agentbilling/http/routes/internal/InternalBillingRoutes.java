package io.agentbilling.http.routes.internal;

import io.agentbilling.core.Billing;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.core.usecase.CheckStorageQuota;
import io.agentbilling.core.usecase.GetPricing;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettleResourceCharge;
import io.agentbilling.core.usecase.SettleStorageUsage;
import io.agentbilling.core.usecase.SettleToolExecution;
import io.agentbilling.core.usecase.SettleUsageBatch;
import io.agentbilling.core.usecase.SettlementCommand;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.internal.ChargeView;
import io.agentbilling.http.json.internal.CreditCheckRequest;
import io.agentbilling.http.json.internal.CreditCheckView;
import io.agentbilling.http.json.internal.DeductionRequest;
import io.agentbilling.http.json.internal.DeductionView;
import io.agentbilling.http.json.internal.ModelUsageRequest;
import io.agentbilling.http.json.internal.PricingView;
import io.agentbilling.http.json.internal.ResourceChargeRequest;
import io.agentbilling.http.json.internal.StorageQuotaRequest;
import io.agentbilling.http.json.internal.StorageQuotaView;
import io.agentbilling.http.json.internal.StorageUsageRequest;
import io.agentbilling.http.json.internal.ToolExecutionRequest;
import io.agentbilling.http.json.internal.UsageBatchItem;
import io.agentbilling.http.json.internal.UsageBatchRequest;
import io.agentbilling.http.json.internal.UsageEvents;
import io.agentbilling.http.routes.Idempotency;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RequestIds;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/internal/billing/…}: the credit gates, the price catalog, and usage settlement — single and batched.
 * Settlements answer 200 (a replay: 200 with {@code Idempotent-Replayed: true}); usage is settled even when it
 * takes the balance below zero, the gates are where credit is enforced.
 */
public final class InternalBillingRoutes implements RouteGroup {
    private static final Logger LOG = LoggerFactory.getLogger(InternalBillingRoutes.class);
    private static final String TAG = "internal: billing";
    private static final String KEY_HEADER_TEXT = "The idempotency key, instead of the body's idempotencyKey "
            + "(both only when equal)";

    private final CheckCredit checkCredit;
    private final CheckStorageQuota checkStorageQuota;
    private final GetPricing getPricing;
    private final SettleDeduction settleDeduction;
    private final SettleModelUsage settleModelUsage;
    private final SettleToolExecution settleToolExecution;
    private final SettleStorageUsage settleStorageUsage;
    private final SettleResourceCharge settleResourceCharge;
    private final SettleUsageBatch settleUsageBatch;

    public InternalBillingRoutes(CheckCredit checkCredit, CheckStorageQuota checkStorageQuota, GetPricing getPricing,
            SettleDeduction settleDeduction, SettleModelUsage settleModelUsage,
            SettleToolExecution settleToolExecution, SettleStorageUsage settleStorageUsage,
            SettleResourceCharge settleResourceCharge, SettleUsageBatch settleUsageBatch) {
        this.checkCredit = Objects.requireNonNull(checkCredit, "checkCredit");
        this.checkStorageQuota = Objects.requireNonNull(checkStorageQuota, "checkStorageQuota");
        this.getPricing = Objects.requireNonNull(getPricing, "getPricing");
        this.settleDeduction = Objects.requireNonNull(settleDeduction, "settleDeduction");
        this.settleModelUsage = Objects.requireNonNull(settleModelUsage, "settleModelUsage");
        this.settleToolExecution = Objects.requireNonNull(settleToolExecution, "settleToolExecution");
        this.settleStorageUsage = Objects.requireNonNull(settleStorageUsage, "settleStorageUsage");
        this.settleResourceCharge = Objects.requireNonNull(settleResourceCharge, "settleResourceCharge");
        this.settleUsageBatch = Objects.requireNonNull(settleUsageBatch, "settleUsageBatch");
    }

    public static InternalBillingRoutes of(Billing billing) {
        return new InternalBillingRoutes(billing.checkCredit(), billing.checkStorageQuota(), billing.getPricing(),
                billing.settleDeduction(), billing.settleModelUsage(), billing.settleToolExecution(),
                billing.settleStorageUsage(), billing.settleResourceCharge(), billing.settleUsageBatch());
    }

    @Override
    public void addTo(RouteRegistry routes) {
        gates(routes);
        settlements(routes);
        routes.get("/v1/internal/billing/pricing", Access.INTERNAL)
                .summary("The price catalog in force now").tag(TAG)
                .description("Prices are exact decimals written as JSON numbers: model prices in cents per million "
                        + "tokens, every other price in millionths of a cent per unit.")
                .returns(PricingView.class)
                .handle(ctx -> Reply.ok(PricingView.of(getPricing.execute())));
        routes.post("/v1/internal/billing/usage-events:batch", Access.INTERNAL)
                .summary("Settle up to 1000 mixed usage events").tag(TAG)
                .description("Each event is {\"type\": \"model\"|\"tool\"|\"storage\"|\"resource\"|\"deduction\"} "
                        + "plus the body fields of that kind's own endpoint, including its own idempotencyKey. "
                        + "The answer has one result per event, in order, with the status the event's own endpoint "
                        + "would have answered; one bad event does not sink the others. The request itself is 400 "
                        + "only when it is not an object with an events array of 1..1000.")
                .returnsList(UsageBatchItem.class)
                .handle(UsageBatchRequest.class, (ctx, body) -> {
                    Idempotency.refuseHeader(ctx, "is not accepted on a batch: give each event its idempotencyKey");
                    return Reply.list(settleBatch(ctx, body));
                });
    }

    private void gates(RouteRegistry routes) {
        routes.post("/v1/internal/billing/credit-check", Access.INTERNAL)
                .summary("May an org start billable work?").tag(TAG)
                .description("One admission decision over the org's available credit (balance less active holds) "
                        + "and, when named, the member's budget and the API key's caps, all read in one snapshot. "
                        + "A memberId or apiKeyId that is not the org's is 422 naming it. Reserves nothing: place a "
                        + "hold for that.")
                .errors(ErrorCode.NOT_FOUND, ErrorCode.UNPROCESSABLE)
                .returns(CreditCheckView.class)
                .handle(CreditCheckRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    return Reply.ok(CreditCheckView.of(checkCredit.execute(body.toCommand())));
                });
        routes.post("/v1/internal/billing/storage/quota", Access.INTERNAL)
                .summary("May a workspace store more bytes?").tag(TAG)
                .errors(ErrorCode.NOT_FOUND)
                .returns(StorageQuotaView.class)
                .handle(StorageQuotaRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    return Reply.ok(StorageQuotaView.of(checkStorageQuota.execute(body.toCommand())));
                });
    }

    private void settlements(RouteRegistry routes) {
        routes.post("/v1/internal/billing/deductions", Access.INTERNAL)
                .summary("Debit an amount the caller computed").tag(TAG)
                .description("Exactly one of amountCents and amountMicros. Answers with the ledger entry and the "
                        + "charge.")
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT, ErrorCode.UNPROCESSABLE)
                .returns(DeductionView.class)
                .handle(DeductionRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    SettleDeduction.Recorded recorded = settleDeduction.executeAndRead(
                            body.toCommand(Idempotency.key(ctx, body.idempotencyKey())));
                    return Idempotency.reply(DeductionView.of(recorded), recorded.settlement().replayed());
                });
        routes.post("/v1/internal/billing/model-usage", Access.INTERNAL)
                .summary("Settle one model call").tag(TAG)
                .description("Charged at the Platform price in force at occurredAt; a BYOK call is recorded and "
                        + "charged nothing. An unknown Platform model is 422 unknown_model unless the catalog has "
                        + "a default model price.")
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT, ErrorCode.UNPROCESSABLE,
                        ErrorCode.UNKNOWN_MODEL)
                .returns(ChargeView.class)
                .handle(ModelUsageRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    return charge(settleModelUsage.execute(body.toCommand(Idempotency.key(ctx,
                            body.idempotencyKey()))));
                });
        routes.post("/v1/internal/billing/tool-executions", Access.INTERNAL)
                .summary("Settle tool executions").tag(TAG)
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT, ErrorCode.UNPROCESSABLE)
                .returns(ChargeView.class)
                .handle(ToolExecutionRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    return charge(settleToolExecution.execute(body.toCommand(Idempotency.key(ctx,
                            body.idempotencyKey()))));
                });
        routes.post("/v1/internal/billing/storage/usage", Access.INTERNAL)
                .summary("Settle the storage a workspace held over [from, to)").tag(TAG)
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT, ErrorCode.UNPROCESSABLE)
                .returns(ChargeView.class)
                .handle(StorageUsageRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    return charge(settleStorageUsage.execute(body.toCommand(Idempotency.key(ctx,
                            body.idempotencyKey()))));
                });
        routes.post("/v1/internal/billing/resource-charges", Access.INTERNAL)
                .summary("Settle a resource-level charge, e.g. code execution").tag(TAG)
                .description("Priced by the catalog unless amountCents is given; without it an unknown resource, "
                        + "or a unit the catalog does not price it in, is 422.")
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT, ErrorCode.UNPROCESSABLE)
                .returns(ChargeView.class)
                .handle(ResourceChargeRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    return charge(settleResourceCharge.execute(body.toCommand(Idempotency.key(ctx,
                            body.idempotencyKey()))));
                });
    }

    private static Reply charge(SettlementResult result) {
        return Idempotency.reply(ChargeView.of(result), result.replayed());
    }

    /** Reads each event on its own; a malformed one gets its own 400 and is passed to the batch as null. */
    private List<UsageBatchItem> settleBatch(Context ctx, UsageBatchRequest body) {
        int size = body.events().size();
        List<SettlementCommand> commands = new ArrayList<>(size);
        BillingException[] malformed = new BillingException[size];
        for (int i = 0; i < size; i++) {
            try {
                commands.add(UsageEvents.read(body.events().get(i)));
            } catch (BillingException e) {
                commands.add(null);
                malformed[i] = e;
            }
        }
        List<SettleUsageBatch.Outcome> outcomes = settleUsageBatch.execute(commands);
        List<UsageBatchItem> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(malformed[i] != null ? refused(i, malformed[i]) : item(ctx, i, outcomes.get(i)));
        }
        return items;
    }

    private static UsageBatchItem item(Context ctx, int index, SettleUsageBatch.Outcome outcome) {
        if (!outcome.isRefused()) {
            return new UsageBatchItem(index, 200, ChargeView.of(outcome.result()), null);
        }
        ErrorCode code = ErrorCode.of(outcome.error());
        String message = outcome.message();
        if (code == ErrorCode.INTERNAL_ERROR) {
            // The others settled; this one is a bug to look into, logged like a 500 of its own.
            LOG.error("requestId={} internal error on batch event {}: {}", RequestIds.of(ctx), index,
                    outcome.message(), outcome.cause());
            message = "an internal error occurred; quote request id " + RequestIds.of(ctx) + " when reporting it";
        }
        return new UsageBatchItem(index, code.status(), null,
                new UsageBatchItem.Error(code.wireCode(), message, outcome.details()));
    }

    private static UsageBatchItem refused(int index, BillingException e) {
        ErrorCode code = ErrorCode.of(e.error());
        return new UsageBatchItem(index, code.status(), null,
                new UsageBatchItem.Error(code.wireCode(), e.getMessage(), e.details()));
    }
}
