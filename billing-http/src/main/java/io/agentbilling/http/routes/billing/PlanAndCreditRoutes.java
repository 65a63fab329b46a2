package io.agentbilling.http.routes.billing;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.HistoryQuery;
import io.agentbilling.core.usecase.GetCreditHistory;
import io.agentbilling.core.usecase.GetCredits;
import io.agentbilling.core.usecase.GetPlanSummary;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.json.billing.CreditsView;
import io.agentbilling.http.json.billing.LedgerEntryView;
import io.agentbilling.http.json.billing.PlanView;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Params;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * API.md A1–A3: the plan summary, the credit balance and the credit ledger, for any member of the org.
 * Thread-safe: holds only its (thread-safe) use cases.
 */
public final class PlanAndCreditRoutes implements RouteGroup {
    static final String ORG_ID_DOC = "Defaults to the caller's organization; another organization's id is 403";
    private static final String ENTRY_TYPES = Arrays.stream(EntryType.values()).map(EntryType::wireName)
            .collect(Collectors.joining(", "));

    private final GetPlanSummary getPlanSummary;
    private final GetCredits getCredits;
    private final GetCreditHistory getCreditHistory;

    public PlanAndCreditRoutes(GetPlanSummary getPlanSummary, GetCredits getCredits,
                               GetCreditHistory getCreditHistory) {
        this.getPlanSummary = Objects.requireNonNull(getPlanSummary, "getPlanSummary");
        this.getCredits = Objects.requireNonNull(getCredits, "getCredits");
        this.getCreditHistory = Objects.requireNonNull(getCreditHistory, "getCreditHistory");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.get("/v1/billing/plan", Access.MEMBER)
                .summary("Plan and credit summary").tag("billing")
                .description("The organization's plan, balance and totals, the current billing period, the plan's "
                        + "storage quota and sign-up credit, and the auto top-up summary.")
                .query("orgId", ParamType.UUID, ORG_ID_DOC)
                .returns(PlanView.class)
                .handle(ctx -> Reply.ok(PlanView.of(getPlanSummary.execute(AuthContext.caller(ctx), Params.org(ctx)))));

        routes.get("/v1/billing/credits", Access.MEMBER)
                .summary("Credit balance").tag("billing")
                .description("The balance and the ledger totals. balanceCents == totalGrantedCents - totalUsedCents "
                        + "- expiredCents - refundedToCardCents holds exactly, in cents and in micros.")
                .query("orgId", ParamType.UUID, ORG_ID_DOC)
                .returns(CreditsView.class)
                .handle(ctx -> Reply.ok(CreditsView.of(getCredits.execute(AuthContext.caller(ctx), Params.org(ctx)))));

        routes.get("/v1/billing/credits/history", Access.MEMBER)
                .summary("Credit ledger history").tag("billing")
                .description("The ledger, newest first, a page at a time: pass meta.nextCursor as cursor for the "
                        + "next page. Filters: type, and [from, to) on the entry's creation time.")
                .query("orgId", ParamType.UUID, ORG_ID_DOC)
                .query("limit", ParamType.INTEGER, "Entries per page, 1.." + HistoryQuery.MAX_LIMIT + " (default "
                        + GetCreditHistory.DEFAULT_LIMIT + ")")
                .query("cursor", ParamType.STRING, "Opaque: meta.nextCursor of the previous page")
                .query("type", ParamType.STRING, "One entry type or several separated by commas: " + ENTRY_TYPES)
                .query("from", ParamType.TIMESTAMP, "Entries created at or after this instant (RFC 3339)")
                .query("to", ParamType.TIMESTAMP, "Entries created before this instant (RFC 3339)")
                .returnsList(LedgerEntryView.class)
                .handle(ctx -> {
                    GetCreditHistory.Query.Builder query = GetCreditHistory.Query.builder().orgId(Params.org(ctx))
                            .cursor(Params.string(ctx, "cursor").orElse(null))
                            .types(Params.string(ctx, "type").map(PlanAndCreditRoutes::entryTypes).orElse(Set.of()))
                            .from(Params.timestamp(ctx, "from").orElse(null))
                            .to(Params.timestamp(ctx, "to").orElse(null));
                    Params.integer(ctx, "limit", 1, HistoryQuery.MAX_LIMIT).ifPresent(limit -> query.limit(limit.intValue()));
                    GetCreditHistory.Page page = getCreditHistory.execute(AuthContext.caller(ctx), query.build());
                    return Reply.list(page.entries().stream().map(LedgerEntryView::of).toList(), page.hasMore(),
                            page.nextCursor());
                });
    }

    /** {@code usage} or {@code grant,topup}: every name must be an entry type. */
    static Set<EntryType> entryTypes(String text) {
        Set<EntryType> types = EnumSet.noneOf(EntryType.class);
        for (String name : text.split(",", -1)) {
            try {
                types.add(EntryType.fromWireName(name.strip()));
            } catch (IllegalArgumentException e) {
                throw BillingException.invalid("type", "must be one or more of " + ENTRY_TYPES
                        + ", separated by commas");
            }
        }
        return types;
    }
}
