package io.agentbilling.http.routes;

/**
 * A set of related routes, built with the use cases it calls, that adds itself to the registry:
 *
 * <pre>{@code
 * final class CreditRoutes implements RouteGroup {
 *     private final ReadCredits readCredits;
 *     CreditRoutes(ReadCredits readCredits) { this.readCredits = readCredits; }
 *
 *     public void addTo(RouteRegistry routes) {
 *         routes.get("/v1/billing/credits", Access.MEMBER)
 *                 .summary("Credit balance").tag("credits")
 *                 .query("orgId", ParamType.UUID, "Defaults to the caller's organization")
 *                 .returns(CreditsView.class)
 *                 .handle(ctx -> Reply.ok(CreditsView.of(readCredits.execute(Params.org(ctx)))));
 *     }
 * }
 * }</pre>
 */
public interface RouteGroup {
    void addTo(RouteRegistry routes);
}
