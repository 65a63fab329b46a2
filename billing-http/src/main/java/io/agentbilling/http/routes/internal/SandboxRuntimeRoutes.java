package io.agentbilling.http.routes.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.agentbilling.core.Billing;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usecase.HeartbeatSandboxRuntime;
import io.agentbilling.core.usecase.QuoteSandboxRuntime;
import io.agentbilling.core.usecase.SettleSandboxRuntime;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.json.internal.SandboxHeartbeatRequest;
import io.agentbilling.http.json.internal.SandboxMeterView;
import io.agentbilling.http.json.internal.SandboxQuoteRequest;
import io.agentbilling.http.json.internal.SandboxQuoteView;
import io.agentbilling.http.json.internal.SandboxSettleRequest;
import io.agentbilling.http.json.internal.SandboxSettlementView;
import io.agentbilling.http.json.internal.SandboxStartRequest;
import io.agentbilling.http.routes.Idempotency;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * {@code /v1/internal/billing/sandbox-runtime/…}: quote, then start, heartbeat and settle a sandbox's runtime meter.
 * A start opens a meter (201; a replay 200), settlements are 200; the sandbox id is the caller's own.
 */
public final class SandboxRuntimeRoutes implements RouteGroup {
    private static final String TAG = "internal: sandbox runtime";
    private static final String BASE = "/v1/internal/billing/sandbox-runtime";
    private static final String SANDBOX_ID_TEXT = "The caller's id of the sandbox (1..200 characters), unique "
            + "across orgs";
    private static final String KEY_HEADER_TEXT = "The idempotency key, instead of the body's idempotencyKey "
            + "(both only when equal)";

    private final QuoteSandboxRuntime quote;
    private final StartSandboxRuntime start;
    private final HeartbeatSandboxRuntime heartbeat;
    private final SettleSandboxRuntime settle;

    public SandboxRuntimeRoutes(QuoteSandboxRuntime quote, StartSandboxRuntime start,
            HeartbeatSandboxRuntime heartbeat, SettleSandboxRuntime settle) {
        this.quote = Objects.requireNonNull(quote, "quote");
        this.start = Objects.requireNonNull(start, "start");
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.settle = Objects.requireNonNull(settle, "settle");
    }

    public static SandboxRuntimeRoutes of(Billing billing) {
        return new SandboxRuntimeRoutes(billing.quoteSandboxRuntime(), billing.startSandboxRuntime(),
                billing.heartbeatSandboxRuntime(), billing.settleSandboxRuntime());
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.post(BASE + "/quote", Access.INTERNAL)
                .summary("Price of a sandbox size, and how long the org's credit lasts").tag(TAG)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.UNPROCESSABLE)
                .returns(SandboxQuoteView.class)
                .handle(SandboxQuoteRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    return Reply.ok(SandboxQuoteView.of(quote.execute(body.toCommand())));
                });
        routes.post(BASE + "/{sandboxId}/start", Access.INTERNAL)
                .summary("Open a sandbox's runtime meter").tag(TAG)
                .description("A start that repeats the meter's payload (same org, member, size and start time) "
                        + "replays it, whatever its key; another payload for the same sandbox is 409 conflict. "
                        + "startedAt is a time of usage: before the org's creation, older than the usage window "
                        + "(35 days by default) or more than 5 minutes ahead of the clock, it is 422.")
                .pathParam("sandboxId", ParamType.STRING, SANDBOX_ID_TEXT)
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.IDEMPOTENCY_CONFLICT,
                        ErrorCode.UNPROCESSABLE)
                .status(201)
                .returns(SandboxMeterView.class)
                .handle(SandboxStartRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    StartSandboxRuntime.Result result = start.execute(body.toCommand(sandboxId(ctx),
                            Idempotency.key(ctx, body.idempotencyKey())));
                    return Idempotency.reply(SandboxMeterView.of(result.meter(), result.replayed()),
                            result.replayed());
                });
        routes.post(BASE + "/{sandboxId}/heartbeat", Access.INTERNAL)
                .summary("The sandbox is alive").tag(TAG)
                .description("The body may be empty (alive now). Naturally idempotent: no key. A heartbeat older "
                        + "than the last changes nothing; a settled meter is 409 conflict; an at more than 5 minutes "
                        + "ahead of the server's clock is 422.")
                .pathParam("sandboxId", ParamType.STRING, SANDBOX_ID_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.UNPROCESSABLE)
                .documentsBody(SandboxHeartbeatRequest.class)
                .returns(SandboxMeterView.class)
                .handle(ctx -> {
                    SandboxMeter meter = heartbeat.execute(heartbeatBody(ctx).toCommand(sandboxId(ctx)));
                    AuthContext.noteOrg(ctx, meter.orgId());
                    return Reply.ok(SandboxMeterView.of(meter, false));
                });
        routes.post(BASE + "/{sandboxId}/settle", Access.INTERNAL)
                .summary("Charge settled runtime seconds; final closes the meter").tag(TAG)
                .description("Charged at the size's price in the catalog in force when the sandbox started. "
                        + "A new settlement of a closed meter is 409 conflict; a replay still replays. Only elapsed "
                        + "time can be settled: a settlement that would take the meter past the server's clock "
                        + "(plus BILLING_SANDBOX_SETTLE_SKEW_SECONDS, 60 s by default) is 422 naming seconds or "
                        + "forgivenSeconds.")
                .pathParam("sandboxId", ParamType.STRING, SANDBOX_ID_TEXT)
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.IDEMPOTENCY_CONFLICT,
                        ErrorCode.UNPROCESSABLE)
                .returns(SandboxSettlementView.class)
                .handle(SandboxSettleRequest.class, (ctx, body) -> {
                    SettleSandboxRuntime.Result result = settle.execute(body.toCommand(sandboxId(ctx),
                            Idempotency.key(ctx, body.idempotencyKey())));
                    AuthContext.noteOrg(ctx, result.meter().orgId());
                    return Idempotency.reply(SandboxSettlementView.of(result), result.settlement().replayed());
                });
    }

    private static String sandboxId(Context ctx) {
        return ctx.pathParam("sandboxId");
    }

    /** An empty body means "alive now"; anything else is read as strictly as any body. */
    private static SandboxHeartbeatRequest heartbeatBody(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        if (new String(body, UTF_8).isBlank()) {
            return new SandboxHeartbeatRequest(null);
        }
        return Json.parse(ctx, SandboxHeartbeatRequest.class);
    }
}
