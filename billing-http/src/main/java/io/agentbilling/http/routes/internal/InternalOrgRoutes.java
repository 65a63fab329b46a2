package io.agentbilling.http.routes.internal;

import io.agentbilling.core.Billing;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.AdjustCredit;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.GrantCredit;
import io.agentbilling.core.usecase.PostedEntry;
import io.agentbilling.core.usecase.RevokeApiKey;
import io.agentbilling.core.usecase.SetApiKeyCap;
import io.agentbilling.http.json.billing.ApiKeyCapView;
import io.agentbilling.http.json.internal.ApiKeyCapUpdate;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.internal.AddMemberRequest;
import io.agentbilling.http.json.internal.AdjustmentRequest;
import io.agentbilling.http.json.internal.ApiKeyView;
import io.agentbilling.http.json.internal.CreateApiKeyRequest;
import io.agentbilling.http.json.internal.CreateOrgRequest;
import io.agentbilling.http.json.internal.CreatedApiKeyView;
import io.agentbilling.http.json.internal.EntryView;
import io.agentbilling.http.json.internal.GrantRequest;
import io.agentbilling.http.json.internal.MemberView;
import io.agentbilling.http.json.internal.OrgView;
import io.agentbilling.http.routes.Idempotency;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Params;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.http.Context;
import java.util.Objects;

/**
 * {@code /v1/internal/orgs/…}: create orgs, add members, create and revoke API keys, grant credit and adjust it.
 * Creations answer 201 (an idempotent replay: 200 with {@code Idempotent-Replayed: true}).
 */
public final class InternalOrgRoutes implements RouteGroup {
    private static final String TAG = "internal: organizations";
    private static final String ORG_TEXT = "The organization";
    private static final String KEY_HEADER_TEXT = "The idempotency key, instead of the body's idempotencyKey "
            + "(both only when equal)";

    private final CreateOrg createOrg;
    private final AddMember addMember;
    private final CreateApiKey createApiKey;
    private final RevokeApiKey revokeApiKey;
    private final GrantCredit grantCredit;
    private final AdjustCredit adjustCredit;
    private final SetApiKeyCap setApiKeyCap;

    public InternalOrgRoutes(CreateOrg createOrg, AddMember addMember, CreateApiKey createApiKey,
            RevokeApiKey revokeApiKey, GrantCredit grantCredit, AdjustCredit adjustCredit,
            SetApiKeyCap setApiKeyCap) {
        this.createOrg = Objects.requireNonNull(createOrg, "createOrg");
        this.addMember = Objects.requireNonNull(addMember, "addMember");
        this.createApiKey = Objects.requireNonNull(createApiKey, "createApiKey");
        this.revokeApiKey = Objects.requireNonNull(revokeApiKey, "revokeApiKey");
        this.grantCredit = Objects.requireNonNull(grantCredit, "grantCredit");
        this.adjustCredit = Objects.requireNonNull(adjustCredit, "adjustCredit");
        this.setApiKeyCap = Objects.requireNonNull(setApiKeyCap, "setApiKeyCap");
    }

    public static InternalOrgRoutes of(Billing billing) {
        return new InternalOrgRoutes(billing.createOrg(), billing.addMember(), billing.createApiKey(),
                billing.revokeApiKey(), billing.grantCredit(), billing.adjustCredit(),
                billing.spendControls().setApiKeyCap());
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.post("/v1/internal/orgs", Access.INTERNAL)
                .summary("Create an organization").tag(TAG)
                .description("On the plan given (default free), with its sign-up grant as a signup_grant entry. "
                        + "The idempotency key is optional here: with one, a retried creation returns the same org.")
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.IDEMPOTENCY_CONFLICT)
                .status(201)
                .returns(OrgView.class)
                .handle(CreateOrgRequest.class, (ctx, body) -> {
                    CreateOrg.Result result = createOrg.execute(body.toCommand(
                            Idempotency.key(ctx, body.idempotencyKey())));
                    AuthContext.noteOrg(ctx, result.org().id());
                    return Idempotency.reply(OrgView.of(result), result.replayed());
                });
        routes.post("/v1/internal/orgs/{orgId}/members", Access.INTERNAL)
                .summary("Add a member").tag(TAG)
                .description("The idempotency key is optional here: with one, adding again returns the member the "
                        + "first call added (a service that provisions its users at every start adds each once).")
                .pathParam("orgId", ParamType.UUID, ORG_TEXT)
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT)
                .status(201)
                .returns(MemberView.class)
                .handle(AddMemberRequest.class, (ctx, body) -> {
                    AddMember.Result result = addMember.execute(body.toCommand(org(ctx),
                            Idempotency.key(ctx, body.idempotencyKey())));
                    return Idempotency.reply(MemberView.of(result.member(), result.replayed()), result.replayed());
                });
        apiKeys(routes);
        credit(routes);
    }

    private void apiKeys(RouteRegistry routes) {
        routes.post("/v1/internal/orgs/{orgId}/api-keys", Access.INTERNAL)
                .summary("Create an API key for a member").tag(TAG)
                .description("The answer holds the plain key: the only time it is shown (only its hash is stored).")
                .pathParam("orgId", ParamType.UUID, ORG_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.UNPROCESSABLE)
                .status(201)
                .returns(CreatedApiKeyView.class)
                .handle(CreateApiKeyRequest.class, (ctx, body) ->
                        Reply.ok(CreatedApiKeyView.of(createApiKey.execute(body.toCommand(org(ctx))))));
        routes.delete("/v1/internal/orgs/{orgId}/api-keys/{keyId}", Access.INTERNAL)
                .summary("Revoke an API key").tag(TAG)
                .description("Idempotent: revoking a revoked key answers it as it is. A key of another org is 404.")
                .pathParam("orgId", ParamType.UUID, ORG_TEXT)
                .pathParam("keyId", ParamType.UUID, "The key's id (not the key)")
                .errors(ErrorCode.NOT_FOUND)
                .returns(ApiKeyView.class)
                .handle(ctx -> {
                    OrgId orgId = org(ctx);
                    ApiKeyId keyId = new ApiKeyId(Params.pathUuid(ctx, "keyId"));
                    return Reply.ok(ApiKeyView.of(revokeApiKey.execute(new RevokeApiKey.Command(orgId, keyId))));
                });
        routes.put("/v1/internal/orgs/{orgId}/api-keys/{keyId}/cap", Access.INTERNAL)
                .summary("Set an API key's spend caps").tag(TAG)
                .description("Replaces both caps: a null or omitted cap is none, and both null removes them. Spend "
                        + "through the key already recorded stays. A key of another org is 404.")
                .pathParam("orgId", ParamType.UUID, ORG_TEXT)
                .pathParam("keyId", ParamType.UUID, "The key's id (not the key)")
                .errors(ErrorCode.NOT_FOUND)
                .returns(ApiKeyCapView.class)
                .handle(ApiKeyCapUpdate.class, (ctx, body) -> Reply.ok(ApiKeyCapView.of(setApiKeyCap.execute(
                        body.toCommand(org(ctx), new ApiKeyId(Params.pathUuid(ctx, "keyId")))))));
    }

    private void credit(RouteRegistry routes) {
        routes.post("/v1/internal/orgs/{orgId}/grants", Access.INTERNAL)
                .summary("Grant promotional credit").tag(TAG)
                .description("A grant lot, consumed before purchased credit, optionally expiring.")
                .pathParam("orgId", ParamType.UUID, ORG_TEXT)
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT)
                .status(201)
                .returns(EntryView.class)
                .handle(GrantRequest.class, (ctx, body) -> entry(grantCredit.execute(
                        body.toCommand(org(ctx), Idempotency.key(ctx, body.idempotencyKey())))));
        routes.post("/v1/internal/orgs/{orgId}/adjustments", Access.INTERNAL)
                .summary("Correct the balance by hand, with a reason").tag(TAG)
                .description("A signed adjustment entry; the ledger is append-only, so this is how mistakes are "
                        + "corrected.")
                .pathParam("orgId", ParamType.UUID, ORG_TEXT)
                .header(Idempotency.HEADER, KEY_HEADER_TEXT)
                .errors(ErrorCode.NOT_FOUND, ErrorCode.IDEMPOTENCY_CONFLICT)
                .status(201)
                .returns(EntryView.class)
                .handle(AdjustmentRequest.class, (ctx, body) -> entry(adjustCredit.execute(
                        body.toCommand(org(ctx), Idempotency.key(ctx, body.idempotencyKey())))));
    }

    private static Reply entry(PostedEntry posted) {
        return Idempotency.reply(EntryView.of(posted), posted.replayed());
    }

    private static OrgId org(Context ctx) {
        OrgId orgId = new OrgId(Params.pathUuid(ctx, "orgId"));
        AuthContext.noteOrg(ctx, orgId);
        return orgId;
    }
}
