package io.agentbilling.testkit;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.CheckoutSession.CheckoutState;
import io.agentbilling.core.payment.OffSessionChargeRequest;
import io.agentbilling.core.payment.OffSessionChargeResult;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.core.port.PaymentGateway;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A payment provider for tests that behaves like Stripe where the core relies on it: idempotency keys (the same key
 * returns the first result and never charges twice; the same key with other parameters is refused), checkout
 * sessions that a test marks paid, unpaid or expired, off-session charges that succeed, decline, need
 * authentication, stay processing, fail to reach the provider or lose their response — on demand — and signed
 * webhooks in a format of its own. It records every call. Thread-safe (every method is synchronized).
 */
public final class FakePaymentGateway implements PaymentGateway {

    /** What the next off-session charge does. */
    public enum Charge {
        SUCCEED,
        DECLINE,
        AUTHENTICATION_REQUIRED,
        PROCESSING,
        /** The provider cannot be reached: nothing happens there, the call throws PAYMENT_PROVIDER_ERROR. */
        PROVIDER_ERROR,
        /** The charge succeeds at the provider but the answer is lost: the call throws PAYMENT_PROVIDER_ERROR. */
        LOST_RESPONSE
    }

    /** A signed webhook delivery: the raw body and its signature header. */
    public record Delivery(byte[] payload, String signature) {}

    private record StoredCharge(OffSessionChargeRequest request, OffSessionChargeResult result) {}

    private static final String PAYLOAD_PREFIX = "fake-event:";

    private final String webhookSecret;
    private final Map<String, String> customersByKey = new HashMap<>();
    private final Map<String, CheckoutSession> sessions = new LinkedHashMap<>();
    private final Map<String, CheckoutRequest> checkoutRequestsByKey = new HashMap<>();
    private final Map<String, String> sessionsByKey = new HashMap<>();
    private final Map<String, StoredCharge> chargesByKey = new LinkedHashMap<>();
    private final Deque<Charge> nextCharges = new ArrayDeque<>();
    private final List<OffSessionChargeRequest> chargeCalls = new ArrayList<>();
    private final List<CheckoutRequest> checkoutRequests = new ArrayList<>();
    private Runnable beforeNextCheckout;
    private final Map<String, PaymentEvent> eventsByPayload = new HashMap<>();
    private Runnable afterNextSuccessfulCharge;
    private int counter;
    private int customerCalls;
    private int checkoutCalls;
    private int fetchCalls;
    private int successfulCharges;

    public FakePaymentGateway() {
        this("whsec_fake_secret");
    }

    public FakePaymentGateway(String webhookSecret) {
        this.webhookSecret = Objects.requireNonNull(webhookSecret, "webhookSecret");
    }

    @Override
    public String name() {
        return "fake";
    }

    // --- customers ---

    @Override
    public synchronized String createCustomer(OrgId orgId, String orgName, String idempotencyKey) {
        customerCalls++;
        return customersByKey.computeIfAbsent(requireKey(idempotencyKey), k -> "cus_" + next());
    }

    public synchronized int customersCreated() {
        return customersByKey.size();
    }

    public synchronized int customerCalls() {
        return customerCalls;
    }

    // --- checkout ---

    @Override
    public CheckoutSession createCheckoutSession(CheckoutRequest request) {
        Runnable hook;
        synchronized (this) {
            hook = beforeNextCheckout;
            beforeNextCheckout = null;
        }
        if (hook != null) {
            hook.run();
        }
        return openSession(request);
    }

    /**
     * Runs {@code hook} when the next checkout call arrives, before the provider handles it (to stage races).
     */
    public synchronized void beforeNextCheckout(Runnable hook) {
        beforeNextCheckout = hook;
    }

    /**
     * Every checkout request received, in order.
     */
    public synchronized List<CheckoutRequest> checkoutRequests() {
        return List.copyOf(checkoutRequests);
    }

    private synchronized CheckoutSession openSession(CheckoutRequest request) {
        checkoutCalls++;
        checkoutRequests.add(request);
        String key = requireKey(request.idempotencyKey());
        CheckoutRequest earlier = checkoutRequestsByKey.get(key);
        if (earlier != null) {
            if (!earlier.equals(request)) {
                throw new IllegalStateException("idempotency key " + key + " reused with other parameters");
            }
            return sessions.get(sessionsByKey.get(key));
        }
        String id = "cs_test_" + next();
        CheckoutSession session = new CheckoutSession(id, request.orgId(), request.amountCents(), CheckoutState.OPEN,
                false, "https://checkout.fake/pay/" + id, request.customerId(), null, null);
        sessions.put(id, session);
        checkoutRequestsByKey.put(key, request);
        sessionsByKey.put(key, id);
        return session;
    }

    @Override
    public synchronized Optional<CheckoutSession> fetchCheckoutSession(String sessionId) {
        fetchCalls++;
        return Optional.ofNullable(sessions.get(sessionId));
    }

    /**
     * The customer paid: the session completes, paid, with a saved card and a payment intent.
     *
     * @param sessionId the checkout session id
     */
    public synchronized CheckoutSession payCheckout(String sessionId) {
        CheckoutSession s = session(sessionId);
        int n = next();
        return replace(new CheckoutSession(s.id(), s.orgId(), s.amountCents(), CheckoutState.COMPLETE, true,
                s.checkoutUrl(), s.customerId(), "pm_" + n, "pi_" + n));
    }

    /**
     * The session completed but the (asynchronous) payment has not arrived yet.
     *
     * @param sessionId the checkout session id
     */
    public synchronized CheckoutSession completeUnpaid(String sessionId) {
        CheckoutSession s = session(sessionId);
        return replace(new CheckoutSession(s.id(), s.orgId(), s.amountCents(), CheckoutState.COMPLETE, false,
                s.checkoutUrl(), s.customerId(), null, null));
    }

    /**
     * @param sessionId the checkout session id
     */
    public synchronized CheckoutSession expireCheckout(String sessionId) {
        CheckoutSession s = session(sessionId);
        return replace(new CheckoutSession(s.id(), s.orgId(), s.amountCents(), CheckoutState.EXPIRED, false,
                s.checkoutUrl(), s.customerId(), null, null));
    }

    /**
     * Puts any session into the provider's books (e.g. one the core never opened, or a tampered copy).
     */
    public synchronized CheckoutSession putSession(CheckoutSession session) {
        return replace(session);
    }

    /**
     * @param sessionId the checkout session id
     */
    public synchronized CheckoutSession session(String sessionId) {
        CheckoutSession s = sessions.get(sessionId);
        if (s == null) {
            throw new IllegalArgumentException("no session " + sessionId);
        }
        return s;
    }

    public synchronized int checkoutCalls() {
        return checkoutCalls;
    }

    public synchronized int sessionsCreated() {
        return sessionsByKey.size();
    }

    public synchronized int fetchCalls() {
        return fetchCalls;
    }

    // --- off-session charges ---

    /**
     * Queues what the next charges do; once the queue is empty, charges succeed.
     */
    public synchronized void nextCharges(Charge... outcomes) {
        nextCharges.addAll(List.of(outcomes));
    }

    /**
     * Runs {@code hook} right after the next charge that takes money, before the call returns.
     */
    public synchronized void afterNextSuccessfulCharge(Runnable hook) {
        afterNextSuccessfulCharge = hook;
    }

    @Override
    public OffSessionChargeResult chargeOffSession(OffSessionChargeRequest request) {
        Runnable hook;
        OffSessionChargeResult result;
        synchronized (this) {
            chargeCalls.add(request);
            String key = requireKey(request.idempotencyKey());
            StoredCharge earlier = chargesByKey.get(key);
            if (earlier != null) {
                if (!earlier.request().equals(request)) {
                    throw new IllegalStateException("idempotency key " + key + " reused with other parameters");
                }
                return earlier.result();
            }
            Charge behaviour = nextCharges.isEmpty() ? Charge.SUCCEED : nextCharges.poll();
            if (behaviour == Charge.PROVIDER_ERROR) {
                throw BillingException.of(BillingError.PAYMENT_PROVIDER_ERROR, "fake provider unavailable");
            }
            String intent = "pi_" + next();
            result = switch (behaviour) {
                case SUCCEED, LOST_RESPONSE -> OffSessionChargeResult.succeeded(intent);
                case DECLINE -> OffSessionChargeResult.failed(intent, "card_declined", "Your card was declined.");
                case AUTHENTICATION_REQUIRED -> OffSessionChargeResult.failed(intent, "authentication_required",
                        "The payment needs the customer to authenticate.");
                case PROCESSING -> new OffSessionChargeResult(intent, OffSessionChargeResult.Status.PROCESSING,
                        null, null);
                case PROVIDER_ERROR -> throw new AssertionError("handled above");
            };
            chargesByKey.put(key, new StoredCharge(request, result));
            hook = null;
            if (result.status() == OffSessionChargeResult.Status.SUCCEEDED) {
                successfulCharges++;
                hook = afterNextSuccessfulCharge;
                afterNextSuccessfulCharge = null;
            }
            if (behaviour == Charge.LOST_RESPONSE) {
                throw BillingException.of(BillingError.PAYMENT_PROVIDER_ERROR, "fake provider timed out");
            }
        }
        if (hook != null) {
            hook.run();
        }
        return result;
    }

    /**
     * Money actually taken: distinct successful charges (an idempotent replay takes nothing).
     */
    public synchronized int successfulCharges() {
        return successfulCharges;
    }

    /**
     * Every charge call, replays included.
     *
     * @return the off session charge requests
     */
    public synchronized List<OffSessionChargeRequest> chargeCalls() {
        return List.copyOf(chargeCalls);
    }

    /**
     * The provider's stored outcome of a charge, by idempotency key.
     *
     * @param idempotencyKey the caller's idempotency key
     * @return the off session charge result, or empty when there is none
     */
    public synchronized Optional<OffSessionChargeResult> chargeResult(String idempotencyKey) {
        return Optional.ofNullable(chargesByKey.get(idempotencyKey)).map(StoredCharge::result);
    }

    /**
     * A processing charge settles: succeeded (money taken) or failed with {@code failureCode}.
     *
     * @param idempotencyKey the caller's idempotency key
     */
    public synchronized OffSessionChargeResult settleCharge(String idempotencyKey, String failureCode) {
        StoredCharge charge = Objects.requireNonNull(chargesByKey.get(idempotencyKey), "no charge " + idempotencyKey);
        String intent = charge.result().paymentIntentId();
        OffSessionChargeResult settled = failureCode == null
                ? OffSessionChargeResult.succeeded(intent)
                : OffSessionChargeResult.failed(intent, failureCode, "failed");
        if (failureCode == null && charge.result().status() != OffSessionChargeResult.Status.SUCCEEDED) {
            successfulCharges++;
        }
        chargesByKey.put(idempotencyKey, new StoredCharge(charge.request(), settled));
        return settled;
    }

    // --- events the provider would send ---

    /**
     * @param sessionId the checkout session id
     */
    public synchronized PaymentEvent.CheckoutCompleted checkoutCompletedEvent(String sessionId) {
        return new PaymentEvent.CheckoutCompleted(newEventId(), session(sessionId));
    }

    /**
     * @param sessionId the checkout session id
     * @param reason why
     */
    public synchronized PaymentEvent.CheckoutFailed checkoutFailedEvent(String sessionId, String reason) {
        return new PaymentEvent.CheckoutFailed(newEventId(), session(sessionId), reason);
    }

    /**
     * payment_intent.succeeded for the charge made under {@code idempotencyKey}.
     *
     * @param idempotencyKey the caller's idempotency key
     */
    public synchronized PaymentEvent.PaymentSucceeded paymentSucceededEvent(String idempotencyKey) {
        StoredCharge charge = Objects.requireNonNull(chargesByKey.get(idempotencyKey), "no charge " + idempotencyKey);
        OffSessionChargeRequest r = charge.request();
        return new PaymentEvent.PaymentSucceeded(newEventId(), charge.result().paymentIntentId(), r.attemptId(),
                r.orgId(), r.amountCents(), r.paymentMethodId());
    }

    /**
     * payment_intent.payment_failed for the charge made under {@code idempotencyKey}.
     *
     * @param idempotencyKey the caller's idempotency key
     */
    public synchronized PaymentEvent.PaymentFailed paymentFailedEvent(String idempotencyKey, String failureCode) {
        StoredCharge charge = Objects.requireNonNull(chargesByKey.get(idempotencyKey), "no charge " + idempotencyKey);
        OffSessionChargeRequest r = charge.request();
        return new PaymentEvent.PaymentFailed(newEventId(), charge.result().paymentIntentId(), r.attemptId(),
                r.orgId(), failureCode, "failed");
    }

    /**
     * charge.refunded with the provider's cumulative refunded amount for the payment.
     *
     * @param paymentIntentId the provider's payment intent id
     * @param orgId the organization
     */
    public synchronized PaymentEvent.ChargeRefunded chargeRefundedEvent(String paymentIntentId, OrgId orgId,
                                                                       long cumulativeRefundedCents) {
        return new PaymentEvent.ChargeRefunded(newEventId(), "ch_" + paymentIntentId, paymentIntentId, orgId,
                cumulativeRefundedCents);
    }

    public synchronized String newEventId() {
        return "evt_" + next();
    }

    // --- webhooks ---

    /**
     * Signs {@code event} as the provider would deliver it.
     */
    public synchronized Delivery deliver(PaymentEvent event) {
        String token = PAYLOAD_PREFIX + next();
        eventsByPayload.put(token, event);
        byte[] payload = token.getBytes(StandardCharsets.UTF_8);
        return new Delivery(payload, sign(payload));
    }

    @Override
    public synchronized PaymentEvent parseWebhook(byte[] payload, String signatureHeader) {
        if (payload == null || signatureHeader == null || !MessageDigest.isEqual(
                sign(payload).getBytes(StandardCharsets.UTF_8), signatureHeader.getBytes(StandardCharsets.UTF_8))) {
            throw BillingException.of(BillingError.BAD_REQUEST, "webhook signature does not verify");
        }
        PaymentEvent event = eventsByPayload.get(new String(payload, StandardCharsets.UTF_8));
        if (event == null) {
            throw BillingException.of(BillingError.BAD_REQUEST, "webhook payload is not an event");
        }
        return event;
    }

    /**
     * The signature header of a payload: HMAC-SHA256 with the webhook secret, hex.
     */
    public String sign(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private CheckoutSession replace(CheckoutSession session) {
        sessions.put(session.id(), session);
        return session;
    }

    private int next() {
        return ++counter;
    }

    private static String requireKey(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw new IllegalArgumentException("every create call needs an idempotency key of 1..255 characters");
        }
        return idempotencyKey;
    }
}
