package io.agentbilling.http.routes.internal;

import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.GetHold;
import io.agentbilling.core.usecase.PlaceHold;
import io.agentbilling.core.usecase.ReleaseHold;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.internal.HoldRequest;
import io.agentbilling.http.json.internal.HoldView;
import io.agentbilling.http.routes.Idempotency;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Params;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import java.util.Objects;

/**
 * {@code /v1/internal/billing/holds}: admission that reserves. A hold is placed only when the org's available
 * credit, the member's budget and the key's caps all leave its amount, decided under the org's account lock, so
 * concurrent agents cannot overrun a limit; settlements naming it capture it. Thread-safe.
 */
public final class HoldRoutes implements RouteGroup {
    private static final String TAG = "internal: billing";

    private final PlaceHold placeHold;
    private final GetHold getHold;
    private final ReleaseHold releaseHold;

    public HoldRoutes(PlaceHold placeHold, GetHold getHold, ReleaseHold releaseHold) {
        this.placeHold = Objects.requireNonNull(placeHold, "placeHold");
        this.getHold = Objects.requireNonNull(getHold, "getHold");
        this.releaseHold = Objects.requireNonNull(releaseHold, "releaseHold");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.post("/v1/internal/billing/holds", Access.INTERNAL)
                .summary("Admit work and reserve its estimate").tag(TAG)
                .description("201 with the hold when the org's available credit, the member's budget and the key's "
                        + "caps all leave amountCents; otherwise 402 insufficient_credit, whose details name the "
                        + "limit (field limitedBy: org_balance, member_daily, member_monthly, key_monthly or "
                        + "key_lifetime). The same idempotency key with the same request answers the same hold "
                        + "(200, Idempotent-Replayed: true).")
                .header(Idempotency.HEADER, "The idempotency key, instead of the body's idempotencyKey (both only "
                        + "when equal)")
                .errors(ErrorCode.NOT_FOUND, ErrorCode.INSUFFICIENT_CREDIT, ErrorCode.IDEMPOTENCY_CONFLICT,
                        ErrorCode.UNPROCESSABLE)
                .status(201)
                .returns(HoldView.class)
                .handle(HoldRequest.class, (ctx, body) -> {
                    AuthContext.noteOrg(ctx, body.orgId());
                    PlaceHold.Result result = placeHold.execute(body.toCommand(Idempotency.key(ctx,
                            body.idempotencyKey())));
                    return Idempotency.reply(HoldView.of(result.hold()), result.replayed());
                });
        routes.get("/v1/internal/billing/holds/{holdId}", Access.INTERNAL)
                .summary("Read a hold").tag(TAG)
                .pathParam("holdId", ParamType.UUID, "The hold's id")
                .errors(ErrorCode.NOT_FOUND)
                .returns(HoldView.class)
                .handle(ctx -> Reply.ok(HoldView.of(getHold.execute(holdId(ctx)))));
        routes.delete("/v1/internal/billing/holds/{holdId}", Access.INTERNAL)
                .summary("Release a hold").tag(TAG)
                .description("Idempotent: releasing a released or expired hold answers it as it is. A captured hold "
                        + "is 409.")
                .pathParam("holdId", ParamType.UUID, "The hold's id")
                .errors(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT)
                .returns(HoldView.class)
                .handle(ctx -> Reply.ok(HoldView.of(releaseHold.execute(holdId(ctx)))));
    }

    private static HoldId holdId(io.javalin.http.Context ctx) {
        return new HoldId(Params.pathUuid(ctx, "holdId"));
    }
}
