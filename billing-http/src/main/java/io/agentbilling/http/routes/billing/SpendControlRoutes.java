package io.agentbilling.http.routes.billing;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.usecase.GetApiKeyCaps;
import io.agentbilling.core.usecase.GetBudgets;
import io.agentbilling.core.usecase.GetSpendSettings;
import io.agentbilling.core.usecase.SetMemberBudget;
import io.agentbilling.core.usecase.UpdateSpendSettings;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.billing.ApiKeyCapView;
import io.agentbilling.http.json.billing.MemberBudgetUpdate;
import io.agentbilling.http.json.billing.MemberBudgetView;
import io.agentbilling.http.json.billing.SpendSettingsUpdate;
import io.agentbilling.http.json.billing.SpendSettingsView;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Params;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import java.util.Objects;

/**
 * Spend controls for an org's people: member budgets (admins set them, a member reads their own), the org's spend
 * settings, and the API-key caps (admins read them; services set them on the internal API). Thread-safe.
 */
public final class SpendControlRoutes implements RouteGroup {
    private static final String TAG = "spend controls";

    private final GetBudgets getBudgets;
    private final SetMemberBudget setMemberBudget;
    private final GetApiKeyCaps getApiKeyCaps;
    private final GetSpendSettings getSpendSettings;
    private final UpdateSpendSettings updateSpendSettings;

    public SpendControlRoutes(GetBudgets getBudgets, SetMemberBudget setMemberBudget, GetApiKeyCaps getApiKeyCaps,
                              GetSpendSettings getSpendSettings, UpdateSpendSettings updateSpendSettings) {
        this.getBudgets = Objects.requireNonNull(getBudgets, "getBudgets");
        this.setMemberBudget = Objects.requireNonNull(setMemberBudget, "setMemberBudget");
        this.getApiKeyCaps = Objects.requireNonNull(getApiKeyCaps, "getApiKeyCaps");
        this.getSpendSettings = Objects.requireNonNull(getSpendSettings, "getSpendSettings");
        this.updateSpendSettings = Objects.requireNonNull(updateSpendSettings, "updateSpendSettings");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.get("/v1/billing/budgets", Access.MEMBER)
                .summary("Member budgets and spend").tag(TAG)
                .description("An admin gets every member of the organization, with or without a budget; a member "
                        + "gets their own row. Spend is what the usage rollups charged (the figures of my-usage), "
                        + "plus BYOK calls at list price when the organization counts them; active holds count as "
                        + "spent until they are captured or released.")
                .query("orgId", ParamType.UUID, PlanAndCreditRoutes.ORG_ID_DOC)
                .returnsList(MemberBudgetView.class)
                .handle(ctx -> Reply.list(getBudgets.execute(AuthContext.caller(ctx), Params.org(ctx)).stream()
                        .map(MemberBudgetView::of).toList()));
        routes.put("/v1/billing/budgets/members/{memberId}", Access.ADMIN)
                .summary("Set a member's budget").tag(TAG)
                .description("Replaces both limits: a null or omitted limit is none, and both null removes the "
                        + "budget. Usage past a limit is still recorded; the next admission is refused.")
                .pathParam("memberId", ParamType.UUID, "A member of the organization")
                .errors(ErrorCode.NOT_FOUND)
                .returns(MemberBudgetView.class)
                .handle(MemberBudgetUpdate.class, (ctx, body) -> Reply.ok(MemberBudgetView.of(setMemberBudget.execute(
                        body.toCommand(AuthContext.caller(ctx), new MemberId(Params.pathUuid(ctx, "memberId")))))));
        routes.get("/v1/billing/api-key-caps", Access.ADMIN)
                .summary("API-key caps and spend").tag(TAG)
                .description("Every key of the organization that has a cap, with what was spent through it this "
                        + "month and over its life. Caps are set on the internal API.")
                .query("orgId", ParamType.UUID, PlanAndCreditRoutes.ORG_ID_DOC)
                .returnsList(ApiKeyCapView.class)
                .handle(ctx -> Reply.list(getApiKeyCaps.execute(AuthContext.caller(ctx), Params.org(ctx)).stream()
                        .map(ApiKeyCapView::of).toList()));
        routes.get("/v1/billing/settings", Access.MEMBER)
                .summary("Spend settings").tag(TAG)
                .query("orgId", ParamType.UUID, PlanAndCreditRoutes.ORG_ID_DOC)
                .returns(SpendSettingsView.class)
                .handle(ctx -> Reply.ok(SpendSettingsView.of(getSpendSettings.execute(AuthContext.caller(ctx),
                        Params.org(ctx)))));
        routes.put("/v1/billing/settings", Access.ADMIN)
                .summary("Replace the spend settings").tag(TAG)
                .description("Replaces the settings whole: an omitted field takes its default (BYOK not counted, "
                        + "no low-balance alert).")
                .errors(ErrorCode.NOT_FOUND)
                .returns(SpendSettingsView.class)
                .handle(SpendSettingsUpdate.class, (ctx, body) -> Reply.ok(SpendSettingsView.of(
                        updateSpendSettings.execute(body.toCommand(AuthContext.caller(ctx))))));
    }
}
