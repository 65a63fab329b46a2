package io.agentbilling.http.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Params;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Routes that exist only for the server's own tests: one of each shape and access level, and ways to fail. */
public final class DemoRoutes implements RouteGroup {

    public record ChargeRequest(
            @JsonPropertyDescription("Integer US cents") long amountCents,
            @JsonProperty(required = true) String description,
            OrgId orgId,
            Instant at) {
    }

    public record ChargeView(long amountCents, String description, String orgId, Instant at) {
    }

    public record WhoAmI(String orgId, String memberId, String role) {
    }

    public record Item(int number) {
    }

    public record ServiceView(String service) {
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.get("/v1/demo/member", Access.MEMBER)
                .summary("Who is calling").returns(WhoAmI.class)
                .handle(ctx -> {
                    Caller caller = AuthContext.caller(ctx);
                    return Reply.ok(new WhoAmI(caller.orgId().toString(), caller.memberId().toString(),
                            caller.role().wireName()));
                });
        routes.get("/v1/demo/admin", Access.ADMIN)
                .summary("Admins only").returns(WhoAmI.class)
                .handle(ctx -> Reply.ok(new WhoAmI(AuthContext.caller(ctx).orgId().toString(), null, "admin")));
        routes.post("/v1/demo/internal", Access.INTERNAL)
                .summary("Services only").returns(ServiceView.class)
                .handle(ctx -> Reply.ok(new ServiceView(AuthContext.service(ctx))));
        routes.post("/v1/demo/charges", Access.MEMBER)
                .summary("Echo a charge").returns(ChargeView.class).status(201)
                .errors(ErrorCode.CONFLICT)
                .handle(ChargeRequest.class, (ctx, body) -> Reply.ok(new ChargeView(body.amountCents(),
                        body.description(), AuthContext.caller(ctx).resolveOrg(body.orgId()).toString(), body.at())));
        routes.get("/v1/demo/items", Access.MEMBER)
                .summary("A paged list")
                .query("limit", ParamType.INTEGER, "1..10")
                .returnsList(Item.class)
                .handle(ctx -> {
                    long limit = Params.integer(ctx, "limit", 1, 10).orElse(2L);
                    List<Item> items = java.util.stream.LongStream.rangeClosed(1, limit)
                            .mapToObj(i -> new Item((int) i)).toList();
                    return Reply.list(items, true, "cursor-" + limit);
                });
        routes.delete("/v1/demo/things/{thingId}", Access.ADMIN)
                .summary("Delete a thing").pathParam("thingId", ParamType.UUID, "The thing")
                .returnsNothing()
                .handle(ctx -> {
                    UUID ignored = Params.pathUuid(ctx, "thingId");
                    return Reply.noContent();
                });
        routes.get("/v1/demo/fail/{kind}", Access.PUBLIC_NONE)
                .summary("Fails as asked")
                .handle(ctx -> {
                    String kind = ctx.pathParam("kind");
                    switch (kind) {
                        case "runtime" -> throw new IllegalStateException("secret internals: table ledger_x");
                        case "pool" -> throw new RuntimeException("wrapped",
                                new SQLTransientConnectionException("billing - Connection is not available"));
                        case "pool-down" -> throw new RuntimeException("wrapped", new SQLTransientConnectionException(
                                "billing - Connection is not available", "08001",
                                new java.sql.SQLException("Connection refused", "08001")));
                        case "wrapped" -> throw new RuntimeException(BillingException.notFound("thing"));
                        case "error" -> throw new AssertionError("a java.lang.Error");
                        default -> throw BillingException.of(BillingError.valueOf(kind), "refused as asked: " + kind);
                    }
                });
    }
}
