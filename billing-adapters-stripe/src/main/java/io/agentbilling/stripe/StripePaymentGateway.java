package io.agentbilling.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Customer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.net.StripeResponse;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.OffSessionChargeRequest;
import io.agentbilling.core.payment.OffSessionChargeResult;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.core.port.PaymentGateway;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PaymentGateway} on Stripe, through one {@link StripeClient} (no global {@code Stripe.apiKey}), in US
 * dollars only. Every create call carries the idempotency key the core derived, so a retry after a timeout or a
 * crash can never create a second customer, session or charge.
 *
 * <p>Thread-safe: the client is thread-safe and this class holds no other mutable state.
 */
public final class StripePaymentGateway implements PaymentGateway {
    private static final Logger log = LoggerFactory.getLogger(StripePaymentGateway.class);

    static final String PRODUCT_NAME = "Prepaid credit";
    /** Stripe's limit on an idempotency key. */
    static final int MAX_IDEMPOTENCY_KEY_CHARS = 255;
    /** Session ids look like cs_test_a1B2…; anything else (the success page passes user input) is unknown. */
    private static final Pattern SESSION_ID = Pattern.compile("cs_[A-Za-z0-9_]{1,250}");

    private final StripeClient client;
    private final StripeWebhooks webhooks;

    /**
     * @param config the settings
     */
    public StripePaymentGateway(StripeConfig config) {
        this(config, Clock.systemUTC());
    }

    /**
     * {@code clock} is the "now" of webhook timestamp checks.
     *
     * @param config the settings
     * @param clock the clock that tells the time
     */
    public StripePaymentGateway(StripeConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        StripeClient.StripeClientBuilder builder = StripeClient.builder()
                .setApiKey(config.secretKey())
                .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                .setReadTimeout(Math.toIntExact(config.readTimeout().toMillis()))
                .setMaxNetworkRetries(config.maxNetworkRetries());
        if (config.apiBase() != null) {
            builder.setApiBase(config.apiBase());
        }
        this.client = builder.build();
        this.webhooks = new StripeWebhooks(config.webhookSecret(), config.webhookToleranceSeconds(), clock);
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public String createCustomer(OrgId orgId, String orgName, String idempotencyKey) {
        Objects.requireNonNull(orgId, "orgId");
        CustomerCreateParams.Builder params = CustomerCreateParams.builder()
                .putMetadata(StripeMapping.META_ORG_ID, orgId.toString());
        if (orgName != null && !orgName.isBlank()) {
            params.setName(orgName);
        }
        try {
            Customer customer = client.v1().customers().create(params.build(), options(idempotencyKey));
            log.info("Stripe customer {} for org {} (request_id={})", customer.getId(), orgId, requestId(customer));
            return customer.getId();
        } catch (StripeException e) {
            throw StripeErrors.translate("create customer for org " + orgId, e);
        }
    }

    @Override
    public CheckoutSession createCheckoutSession(CheckoutRequest request) {
        Objects.requireNonNull(request, "request");
        String orgId = request.orgId().toString();
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setCustomer(request.customerId())
                .setClientReferenceId(orgId)
                .putMetadata(StripeMapping.META_ORG_ID, orgId)
                .setSuccessUrl(request.successUrl())
                .setCancelUrl(request.cancelUrl())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(StripeMapping.CURRENCY)
                                .setUnitAmount(request.amountCents())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(PRODUCT_NAME)
                                        .build())
                                .build())
                        .build())
                // Saves the card on the customer for auto top-ups; the metadata lets payment_intent.* events
                // be traced to the org too.
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .setSetupFutureUsage(SessionCreateParams.PaymentIntentData.SetupFutureUsage.OFF_SESSION)
                        .putMetadata(StripeMapping.META_ORG_ID, orgId)
                        .build())
                .build();
        try {
            Session session = client.v1().checkout().sessions().create(params, options(request.idempotencyKey()));
            log.info("Stripe checkout session {} for org {}, {} cents (request_id={})", session.getId(), orgId,
                    request.amountCents(), requestId(session));
            return StripeMapping.toCheckoutSession(session);
        } catch (StripeException e) {
            throw StripeErrors.translate("create checkout session for org " + orgId, e);
        }
    }

    @Override
    public Optional<CheckoutSession> fetchCheckoutSession(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            return Optional.empty();
        }
        SessionRetrieveParams params = SessionRetrieveParams.builder().addExpand("payment_intent").build();
        try {
            Session session = client.v1().checkout().sessions().retrieve(sessionId, params, RequestOptions.getDefault());
            log.debug("Stripe checkout session {} is {}/{} (request_id={})", session.getId(), session.getStatus(),
                    session.getPaymentStatus(), requestId(session));
            return Optional.of(StripeMapping.toCheckoutSession(session));
        } catch (InvalidRequestException e) {
            if (Integer.valueOf(404).equals(e.getStatusCode())) {
                log.info("Stripe does not know checkout session {} (request_id={})", sessionId, e.getRequestId());
                return Optional.empty();
            }
            throw StripeErrors.translate("fetch checkout session " + sessionId, e);
        } catch (StripeException e) {
            throw StripeErrors.translate("fetch checkout session " + sessionId, e);
        }
    }

    @Override
    public OffSessionChargeResult chargeOffSession(OffSessionChargeRequest request) {
        Objects.requireNonNull(request, "request");
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(request.amountCents())
                .setCurrency(StripeMapping.CURRENCY)
                .setCustomer(request.customerId())
                .setPaymentMethod(request.paymentMethodId())
                .setOffSession(true)
                .setConfirm(true)
                .putMetadata(StripeMapping.META_ORG_ID, request.orgId().toString())
                .putMetadata(StripeMapping.META_ATTEMPT_ID, request.attemptId().toString())
                .build();
        String operation = "auto top-up " + request.attemptId() + " for org " + request.orgId();
        try {
            PaymentIntent intent = client.v1().paymentIntents().create(params, options(request.idempotencyKey()));
            return outcomeOf(operation, intent);
        } catch (CardException e) {
            return declined(operation, e);
        } catch (InvalidRequestException e) {
            if (isUnusableSavedCard(e)) {
                log.warn("{}: the saved payment method or customer is unusable; {}", operation,
                        StripeErrors.summary(operation, e));
                return OffSessionChargeResult.failed(null,
                        StripeMapping.firstNonBlank(e.getCode(), "invalid_payment_method"), stripeMessage(e));
            }
            throw StripeErrors.translate(operation, e);
        } catch (StripeException e) {
            throw StripeErrors.translate(operation, e);
        }
    }

    @Override
    public PaymentEvent parseWebhook(byte[] payload, String signatureHeader) {
        return webhooks.parse(payload, signatureHeader);
    }

    private static OffSessionChargeResult outcomeOf(String operation, PaymentIntent intent) {
        String status = intent.getStatus();
        log.info("{}: payment intent {} is {} (request_id={})", operation, intent.getId(), status, requestId(intent));
        if ("succeeded".equals(status)) {
            return OffSessionChargeResult.succeeded(intent.getId());
        }
        if ("requires_action".equals(status)) {
            // Stripe answers off_session confirms that need 3DS with a 402, but a 200 in this state means the same.
            return OffSessionChargeResult.failed(intent.getId(), "authentication_required",
                    "the payment needs the customer to authenticate");
        }
        if ("requires_payment_method".equals(status) || "canceled".equals(status)) {
            StripeError error = intent.getLastPaymentError();
            return OffSessionChargeResult.failed(intent.getId(), StripeMapping.failureCodeOf(error, status),
                    error == null ? "the payment intent is " + status : error.getMessage());
        }
        if (!"processing".equals(status)) {
            log.warn("{}: unexpected payment intent status {}; waiting for the webhook to settle it", operation,
                    status);
        }
        // Not settled yet: payment_intent.succeeded or payment_intent.payment_failed will tell.
        return new OffSessionChargeResult(intent.getId(), OffSessionChargeResult.Status.PROCESSING, null, null);
    }

    private static OffSessionChargeResult declined(String operation, CardException e) {
        StripeError error = e.getStripeError();
        String paymentIntentId = error != null && error.getPaymentIntent() != null
                ? error.getPaymentIntent().getId()
                : null;
        String code = StripeMapping.firstNonBlank(e.getDeclineCode(), e.getCode(), "card_declined");
        log.info("{}: declined, payment intent {}; {}", operation, paymentIntentId, StripeErrors.summary(operation, e));
        return OffSessionChargeResult.failed(paymentIntentId, code, stripeMessage(e));
    }

    /**
     * A 400 that says the saved card or the customer is gone (detached, deleted, never attached): the org must add a
     * card again, which is a business outcome like a decline, not a bug in our request.
     */
    private static boolean isUnusableSavedCard(InvalidRequestException e) {
        if (Integer.valueOf(404).equals(e.getStatusCode()) || "resource_missing".equals(e.getCode())) {
            return true;
        }
        StripeError error = e.getStripeError();
        String param = error == null ? null : error.getParam();
        return "payment_method".equals(param) || "customer".equals(param);
    }

    private static String stripeMessage(StripeException e) {
        StripeError error = e.getStripeError();
        return error != null && error.getMessage() != null ? error.getMessage() : e.getMessage();
    }

    private static RequestOptions options(String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_CHARS) {
            throw new IllegalArgumentException(
                    "an idempotency key must have 1 to " + MAX_IDEMPOTENCY_KEY_CHARS + " characters");
        }
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    private static String requestId(StripeObject object) {
        StripeResponse response = object.getLastResponse();
        return response == null ? null : response.requestId();
    }
}
