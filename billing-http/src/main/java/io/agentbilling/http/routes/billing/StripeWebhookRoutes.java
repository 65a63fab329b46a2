package io.agentbilling.http.routes.billing;

import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.core.port.PaymentGateway;
import io.agentbilling.core.usecase.HandlePaymentEvent;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.json.billing.StripeEventDocument;
import io.agentbilling.http.json.billing.WebhookReceipt;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API.md Part C: Stripe's webhook. No API key: the gateway verifies {@code Stripe-Signature} over the exact raw
 * bytes (a missing or bad signature is 400 and nothing changes), then the core applies the event once per event id.
 * With the local checkout gateway, which sends no webhooks, every delivery is refused with 400. Thread-safe.
 */
public final class StripeWebhookRoutes implements RouteGroup {
    public static final String PATH = "/v1/billing/webhooks/stripe";
    private static final Logger LOG = LoggerFactory.getLogger(StripeWebhookRoutes.class);

    private final PaymentGateway gateway;
    private final HandlePaymentEvent handlePaymentEvent;

    public StripeWebhookRoutes(PaymentGateway gateway, HandlePaymentEvent handlePaymentEvent) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.handlePaymentEvent = Objects.requireNonNull(handlePaymentEvent, "handlePaymentEvent");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.post(PATH, Access.PUBLIC_NONE)
                .summary("Stripe webhook").tag("webhooks")
                .description("Verified with the configured webhook secret; a missing or bad signature is 400 and "
                        + "changes nothing. Each event id is applied once: a redelivery answers 200 and changes "
                        + "nothing. Events may arrive in any order and race GET /v1/billing/success.")
                .header("Stripe-Signature", "Stripe's signature of the raw body (t=…,v1=…); required")
                .documentsBody(StripeEventDocument.class)
                .returns(WebhookReceipt.class)
                .handle(ctx -> {
                    PaymentEvent event = gateway.parseWebhook(ctx.bodyAsBytes(), ctx.header("Stripe-Signature"));
                    HandlePaymentEvent.Result result = handlePaymentEvent.execute(event);
                    LOG.info("webhook event {} {}: {}", result.eventId(), result.outcome(), result.detail());
                    return Reply.ok(WebhookReceipt.of(result));
                });
    }
}
