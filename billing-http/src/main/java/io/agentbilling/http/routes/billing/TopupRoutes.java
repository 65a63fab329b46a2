package io.agentbilling.http.routes.billing;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.usecase.GetAutoTopup;
import io.agentbilling.core.usecase.StartTopup;
import io.agentbilling.core.usecase.UpdateAutoTopup;
import io.agentbilling.core.usecase.VerifyCheckout;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.billing.AutoTopupUpdate;
import io.agentbilling.http.json.billing.AutoTopupView;
import io.agentbilling.http.json.billing.CheckoutView;
import io.agentbilling.http.json.billing.TopupRequest;
import io.agentbilling.http.json.billing.TopupView;
import io.agentbilling.http.routes.Idempotency;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Params;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Optional;

/**
 * API.md A5–A8: card top-ups through the payment provider's checkout, their verification, and auto top-up.
 * Thread-safe: holds only its (thread-safe) use cases.
 */
public final class TopupRoutes implements RouteGroup {
    private final StartTopup startTopup;
    private final VerifyCheckout verifyCheckout;
    private final GetAutoTopup getAutoTopup;
    private final UpdateAutoTopup updateAutoTopup;

    public TopupRoutes(StartTopup startTopup, VerifyCheckout verifyCheckout, GetAutoTopup getAutoTopup,
                       UpdateAutoTopup updateAutoTopup) {
        this.startTopup = Objects.requireNonNull(startTopup, "startTopup");
        this.verifyCheckout = Objects.requireNonNull(verifyCheckout, "verifyCheckout");
        this.getAutoTopup = Objects.requireNonNull(getAutoTopup, "getAutoTopup");
        this.updateAutoTopup = Objects.requireNonNull(updateAutoTopup, "updateAutoTopup");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.post("/v1/billing/topup", Access.ADMIN)
                .summary("Start a card top-up").tag("billing")
                .description("Opens a checkout session for exactly amountCents, tied to the organization, and "
                        + "returns its checkoutUrl. Nothing is credited here: the top-up lands on the ledger once "
                        + "the session is paid (GET /v1/billing/success or the provider's webhook, exactly once).")
                .header(Idempotency.HEADER, "Optional, 1-255 characters: a retry with the same key and body returns the "
                        + "same session (with Idempotent-Replayed: true); another body under the key is 409")
                .errors(ErrorCode.IDEMPOTENCY_CONFLICT, ErrorCode.PAYMENT_PROVIDER_ERROR)
                .returns(TopupView.class)
                .handle(TopupRequest.class, (ctx, body) -> {
                    StartTopup.Result result = startTopup.execute(StartTopup.Command.builder()
                            .caller(AuthContext.caller(ctx)).orgId(body.orgId()).amountCents(body.amountCents())
                            .successUrl(body.successUrl()).cancelUrl(body.cancelUrl())
                            .idempotencyKey(Idempotency.key(ctx, null)).build());
                    return Idempotency.reply(TopupView.of(result), result.replayed());
                });

        routes.get("/v1/billing/success", Access.MEMBER)
                .summary("Verify a completed checkout").tag("billing")
                .description("Asks the payment provider for the session and, when it is paid, credits the "
                        + "organization exactly once (whether this call, a repeated one or the webhook gets there "
                        + "first). A session of another organization is 404, like an unknown one.")
                .query("session_id", ParamType.STRING, "The checkout session id (the provider's redirect parameter)")
                .query("sessionId", ParamType.STRING, "Alias of session_id")
                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.PAYMENT_PROVIDER_ERROR)
                .returns(CheckoutView.class)
                .handle(ctx -> Reply.ok(CheckoutView.of(verifyCheckout.execute(
                        new VerifyCheckout.Command(AuthContext.caller(ctx), sessionIdOf(ctx))))));

        routes.get("/v1/billing/auto-topup", Access.MEMBER)
                .summary("Read auto top-up settings").tag("billing")
                .query("orgId", ParamType.UUID, PlanAndCreditRoutes.ORG_ID_DOC)
                .returns(AutoTopupView.class)
                .handle(ctx -> Reply.ok(AutoTopupView.of(getAutoTopup.execute(
                        new GetAutoTopup.Command(AuthContext.caller(ctx), Params.org(ctx))))));

        routes.put("/v1/billing/auto-topup", Access.ADMIN)
                .summary("Update auto top-up settings").tag("billing")
                .description("Omitted fields keep their values; the merged settings are validated. Turning auto "
                        + "top-up on needs a card saved by a paid checkout (422 payment_method_required).")
                .errors(ErrorCode.PAYMENT_METHOD_REQUIRED)
                .returns(AutoTopupView.class)
                .handle(AutoTopupUpdate.class, (ctx, body) -> Reply.ok(AutoTopupView.of(updateAutoTopup.execute(
                        body.toCommand(AuthContext.caller(ctx))))));
    }

    /**
     * {@code session_id}, or its alias {@code sessionId}; both only when they agree. A refusal names the parameter
     * the caller used.
     */
    private static String sessionIdOf(Context ctx) {
        Optional<String> stripeStyle = Params.string(ctx, "session_id");
        Optional<String> camelCase = Params.string(ctx, "sessionId");
        if (stripeStyle.isPresent() && camelCase.isPresent() && !stripeStyle.equals(camelCase)) {
            throw BillingException.invalid("sessionId", "differs from session_id; send one of them");
        }
        String name = stripeStyle.isPresent() ? "session_id" : "sessionId";
        String sessionId = stripeStyle.or(() -> camelCase)
                .orElseThrow(() -> BillingException.invalid("session_id", "is required"));
        if (sessionId.length() > VerifyCheckout.MAX_SESSION_ID_CHARS) {
            throw BillingException.invalid(name, "must have 1.." + VerifyCheckout.MAX_SESSION_ID_CHARS + " characters");
        }
        return sessionId;
    }
}
