package io.agentbilling.http.server.checkout;

import io.agentbilling.core.usecase.HandlePaymentEvent;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.RequestIds;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.http.Context;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local checkout's pages (API.md Part C), registered only when no Stripe key is configured: the checkout page
 * of a session with its Pay and Cancel buttons, and the default landing pages after paying or cancelling. Plain
 * HTML without scripts; everything shown is escaped.
 *
 * <p>Pay marks the session paid, then hands the engine the {@code checkout.session.completed} event Stripe's
 * webhook would deliver, in-process, so the top-up lands on the ledger even if nobody opens the success URL; then
 * it redirects (303) to the session's success URL with {@code session_id}, as Stripe does. The event and
 * {@code GET /v1/billing/success} credit under the same key, so the top-up is credited once whichever comes first.
 * Thread-safe: the gateway and the use case are.
 */
public final class LocalCheckoutRoutes implements RouteGroup {
    static final String HTML = "text/html; charset=utf-8";
    private static final Logger LOG = LoggerFactory.getLogger(LocalCheckoutRoutes.class);
    /** No scripts, no frames (so the Pay button cannot be clickjacked), nothing loaded from elsewhere. */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    private final LocalCheckoutGateway gateway;
    private final HandlePaymentEvent handlePaymentEvent;

    public LocalCheckoutRoutes(LocalCheckoutGateway gateway, HandlePaymentEvent handlePaymentEvent) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.handlePaymentEvent = Objects.requireNonNull(handlePaymentEvent, "handlePaymentEvent");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        // The fixed pages first: Javalin dispatches to the first route that matches, and {sessionId} matches them too.
        routes.get("/checkout/success", Access.PUBLIC_NONE)
                .summary("Local checkout: the default page after paying").tag("local checkout")
                .query("session_id", ParamType.STRING, "The paid session")
                .handleRaw(HTML, this::successPage);
        routes.get("/checkout/cancelled", Access.PUBLIC_NONE)
                .summary("Local checkout: the default page after cancelling").tag("local checkout")
                .handleRaw(HTML, ctx -> page(ctx, 200, "Checkout cancelled",
                        "<p>No payment was taken. You can close this page, or start a new top-up from the app.</p>"));
        routes.get("/checkout/{sessionId}", Access.PUBLIC_NONE)
                .summary("Local checkout: the page of one session, with Pay and Cancel").tag("local checkout")
                .pathParam("sessionId", ParamType.STRING, "A local checkout session id (cs_local_…)")
                .handleRaw(HTML, this::checkoutPage);
        routes.post("/checkout/{sessionId}/pay", Access.PUBLIC_NONE)
                .summary("Local checkout: pay (303 to the success URL with session_id)").tag("local checkout")
                .pathParam("sessionId", ParamType.STRING, "A local checkout session id (cs_local_…)")
                .acceptsForm()
                .handleRaw(HTML, this::pay);
        routes.post("/checkout/{sessionId}/cancel", Access.PUBLIC_NONE)
                .summary("Local checkout: cancel (303 to the cancel URL)").tag("local checkout")
                .pathParam("sessionId", ParamType.STRING, "A local checkout session id (cs_local_…)")
                .acceptsForm()
                .handleRaw(HTML, this::cancel);
    }

    private void checkoutPage(Context ctx) {
        Optional<LocalCheckoutGateway.LocalSession> found = gateway.session(ctx.pathParam("sessionId"));
        if (found.isEmpty()) {
            unknownSession(ctx);
            return;
        }
        LocalCheckoutGateway.LocalSession session = found.get();
        String amount = escape(dollars(session.amountCents()));
        if (session.paid()) {
            page(ctx, 200, "Already paid", "<p>This checkout of " + amount + " is paid.</p><p><a href=\""
                    + escape(session.successRedirect()) + "\">Continue</a></p>");
            return;
        }
        if (gateway.isExpired(session)) {
            expired(ctx);
            return;
        }
        String id = escape(session.id());
        page(ctx, 200, "Add " + amount + " of credit",
                "<p class=\"note\">Local test checkout: no card is charged and no money moves. Configure "
                        + "STRIPE_SECRET_KEY to take real payments.</p>"
                        + "<p>Top-up of <strong class=\"amount\">" + amount + "</strong>.</p>"
                        // Relative actions, so the page works behind a reverse proxy that adds a path prefix.
                        + "<form method=\"post\" action=\"" + id + "/pay\"><button type=\"submit\">Pay " + amount
                        + "</button></form>"
                        + "<form method=\"post\" action=\"" + id + "/cancel\"><button type=\"submit\" "
                        + "class=\"secondary\">Cancel</button></form>");
    }

    private void pay(Context ctx) {
        LocalCheckoutGateway.PayOutcome outcome = gateway.pay(ctx.pathParam("sessionId"));
        if (outcome instanceof LocalCheckoutGateway.PayOutcome.Paid paid) {
            notifyEngine(ctx, paid);
            redirect(ctx, paid.session().successRedirect());
        } else if (outcome instanceof LocalCheckoutGateway.PayOutcome.Expired) {
            expired(ctx);
        } else {
            unknownSession(ctx);
        }
    }

    /**
     * What Stripe's webhook does, in-process. Failing here loses nothing: the session stays paid, and the success
     * URL's verification (or paying again) credits it.
     */
    private void notifyEngine(Context ctx, LocalCheckoutGateway.PayOutcome.Paid paid) {
        try {
            HandlePaymentEvent.Result result = handlePaymentEvent.execute(paid.event());
            LOG.info("local checkout {} paid: {} ({})", paid.session().id(), result.outcome(), result.detail());
        } catch (RuntimeException e) {
            LOG.warn("requestId={} local checkout {} paid, but crediting it failed; GET /v1/billing/success will "
                    + "credit it", RequestIds.of(ctx), paid.session().id(), e);
        }
    }

    private void cancel(Context ctx) {
        Optional<LocalCheckoutGateway.LocalSession> found = gateway.session(ctx.pathParam("sessionId"));
        if (found.isEmpty()) {
            unknownSession(ctx);
            return;
        }
        LocalCheckoutGateway.LocalSession session = found.get();
        // As on Stripe, cancelling leaves the session as it is; a paid one has nothing left to cancel.
        redirect(ctx, session.paid() ? session.successRedirect() : session.cancelUrl());
    }

    private void successPage(Context ctx) {
        String sessionId = ctx.queryParam("session_id");
        Optional<LocalCheckoutGateway.LocalSession> paid = gateway.session(sessionId)
                .filter(LocalCheckoutGateway.LocalSession::paid);
        if (paid.isEmpty()) {
            page(ctx, 200, "Checkout finished", "<p>If you paid, your organization's credit is being added.</p>"
                    + "<p>Applications confirm a top-up with <code>GET /v1/billing/success?session_id=…</code>.</p>");
            return;
        }
        String id = escape(paid.get().id());
        page(ctx, 200, "Payment received", "<p>Your top-up of <strong class=\"amount\">"
                + escape(dollars(paid.get().amountCents())) + "</strong> is paid and is added to your "
                + "organization's credit.</p><p>Checkout session <code>" + id + "</code>. Applications confirm it with "
                + "<code>GET /v1/billing/success?session_id=" + id + "</code>.</p>");
    }

    private static void unknownSession(Context ctx) {
        page(ctx, 404, "Checkout not found", "<p>There is no open checkout session at this address. It may have "
                + "been started before the server restarted; start a new top-up.</p>");
    }

    private static void expired(Context ctx) {
        page(ctx, 410, "Checkout expired", "<p>This checkout session expired unpaid. Start a new top-up.</p>");
    }

    private static void redirect(Context ctx, String location) {
        ctx.status(303).header("Location", location);
        page(ctx, 303, "Redirecting", "<p><a href=\"" + escape(location) + "\">Continue</a></p>");
    }

    private static void page(Context ctx, int status, String title, String bodyHtml) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.status(status).contentType(HTML).result("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + escape(title) + "</title><style>"
                + "body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}"
                + "button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem 0;cursor:pointer}"
                + ".secondary{background:none;border:1px solid #999}.note{background:#fff6d6;padding:.6rem}"
                + "</style></head><body><h1>" + escape(title) + "</h1>" + bodyHtml + "</body></html>\n");
    }

    /** {@code $25.00}. */
    static String dollars(long cents) {
        return String.format(Locale.ROOT, "$%,d.%02d", cents / 100, cents % 100);
    }

    /** Escapes text for HTML element content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
