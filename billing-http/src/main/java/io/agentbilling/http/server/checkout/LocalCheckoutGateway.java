package io.agentbilling.http.server.checkout;

import static java.nio.charset.StandardCharsets.UTF_8;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The payment gateway of a server without a Stripe key: its "checkout" is a page of this server
 * ({@code <publicUrl>/checkout/<sessionId>}) where a person presses Pay or Cancel, so the whole top-up flow works on
 * a fresh machine. It takes no money. It behaves like Stripe where the core can tell: sessions open, get paid (the
 * customer's "card" {@value #CARD} is then saved for off-session use) or expire after 24 hours, paying redirects to
 * the success URL with the session id, and off-session charges of the saved card succeed.
 *
 * <p>Sessions live in this process's memory only (the newest {@value #MAX_SESSIONS}; a restart forgets them, after
 * which a forgotten session verifies as unknown). Nothing else needs memory: customer and payment ids derive from the
 * caller's idempotency keys, so retries get the same ids, even across a restart, and a card saved before a restart
 * still charges. It sends no webhooks: {@link #parseWebhook} refuses every delivery. Paying notifies the engine
 * in-process instead, as Stripe's webhook would (see {@code LocalCheckoutRoutes}).
 *
 * <p>Thread-safe: the session table is guarded by one lock, held only for map operations.
 */
public final class LocalCheckoutGateway implements PaymentGateway {
    /** The one payment method a paid local checkout saves, and the only one its off-session charges accept. */
    public static final String CARD = "pm_local_card";
    public static final String SESSION_PREFIX = "cs_local_";
    /** How long a session stays open, as on Stripe Checkout. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(24);
    static final int MAX_SESSIONS = 10_000;
    private static final Pattern SESSION_ID = Pattern.compile("cs_local_[A-Za-z0-9]{24}");
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            .toCharArray();

    private final String checkoutBaseUrl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    /** Guarded by lock; insertion order, the oldest dropped past MAX_SESSIONS. */
    private final Map<String, LocalSession> sessions = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LocalSession> eldest) {
            return size() > MAX_SESSIONS;
        }
    };
    /** Guarded by lock: the session each idempotency key opened, bounded like the sessions. */
    private final Map<String, String> sessionByKey = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_SESSIONS;
        }
    };

    /** @param publicUrl the server's public base URL; checkout pages are under {@code <publicUrl>/checkout/} */
    public LocalCheckoutGateway(String publicUrl, Clock clock) {
        Objects.requireNonNull(publicUrl, "publicUrl");
        this.checkoutBaseUrl = publicUrl.replaceAll("/+$", "") + "/checkout/";
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One checkout session as this gateway keeps it; immutable. */
    public record LocalSession(String id, OrgId orgId, long amountCents, String customerId, String successUrl,
                               String cancelUrl, Instant createdAt, boolean paid, String paymentIntentId) {
        public LocalSession {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(orgId, "orgId");
            Objects.requireNonNull(successUrl, "successUrl");
            Objects.requireNonNull(cancelUrl, "cancelUrl");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        /** Open (not paid) past its lifetime. */
        public boolean expiredAt(Instant now) {
            return !paid && !now.isBefore(createdAt.plus(SESSION_LIFETIME));
        }

        /** The success URL with the session id in place of Stripe's placeholder, as Stripe redirects. */
        public String successRedirect() {
            return successUrl.replace("{CHECKOUT_SESSION_ID}", id);
        }

        LocalSession paid(String intentId) {
            return new LocalSession(id, orgId, amountCents, customerId, successUrl, cancelUrl, createdAt, true,
                    intentId);
        }
    }

    /** What pressing Pay did. */
    public sealed interface PayOutcome {
        /** The session is paid (now or before); {@code event} is what Stripe's webhook would deliver. */
        record Paid(LocalSession session, PaymentEvent.CheckoutCompleted event) implements PayOutcome {}

        record Expired(LocalSession session) implements PayOutcome {}

        record Unknown() implements PayOutcome {}
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String createCustomer(OrgId orgId, String orgName, String idempotencyKey) {
        return "cus_local_" + digest("customer", idempotencyKey);
    }

    @Override
    public CheckoutSession createCheckoutSession(CheckoutRequest request) {
        Objects.requireNonNull(request, "request");
        synchronized (lock) {
            String earlier = sessionByKey.get(request.idempotencyKey());
            if (earlier != null && sessions.containsKey(earlier)) {
                return toCheckoutSession(sessions.get(earlier), clock.instant());
            }
            LocalSession session = new LocalSession(newSessionId(), request.orgId(), request.amountCents(),
                    request.customerId(), request.successUrl(), request.cancelUrl(), clock.instant(), false, null);
            sessions.put(session.id(), session);
            sessionByKey.put(request.idempotencyKey(), session.id());
            return toCheckoutSession(session, session.createdAt());
        }
    }

    @Override
    public Optional<CheckoutSession> fetchCheckoutSession(String sessionId) {
        return session(sessionId).map(session -> toCheckoutSession(session, clock.instant()));
    }

    /** The saved local card always pays; any other payment method is refused like a card that was removed. */
    @Override
    public OffSessionChargeResult chargeOffSession(OffSessionChargeRequest request) {
        Objects.requireNonNull(request, "request");
        String intentId = "pi_local_" + digest("charge", request.idempotencyKey());
        if (!CARD.equals(request.paymentMethodId())) {
            return OffSessionChargeResult.failed(intentId, "resource_missing",
                    "the local checkout gateway can only charge its own card " + CARD);
        }
        return OffSessionChargeResult.succeeded(intentId);
    }

    @Override
    public PaymentEvent parseWebhook(byte[] payload, String signatureHeader) {
        throw BillingException.of(BillingError.BAD_REQUEST,
                "no Stripe webhook secret is configured: this server uses the local checkout, which sends no webhooks");
    }

    /** The session, when this gateway knows it. */
    public Optional<LocalSession> session(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            return Optional.empty();
        }
        synchronized (lock) {
            return Optional.ofNullable(sessions.get(sessionId));
        }
    }

    /** Whether the session is past its lifetime unpaid, now. */
    public boolean isExpired(LocalSession session) {
        return session.expiredAt(clock.instant());
    }

    /**
     * The customer pays: an open session becomes paid and the local card is saved for its customer. Paying a paid
     * session again changes nothing and answers as the first time did.
     */
    public PayOutcome pay(String sessionId) {
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            return new PayOutcome.Unknown();
        }
        LocalSession paid;
        synchronized (lock) {
            LocalSession session = sessions.get(sessionId);
            if (session == null) {
                return new PayOutcome.Unknown();
            }
            if (session.expiredAt(clock.instant())) {
                return new PayOutcome.Expired(session);
            }
            paid = session.paid() ? session : session.paid("pi_local_" + digest("checkout", sessionId));
            sessions.put(sessionId, paid);
        }
        // The event id derives from the session, so paying twice delivers one event the engine applies once.
        return new PayOutcome.Paid(paid, new PaymentEvent.CheckoutCompleted("evt_local_" + sessionId,
                toCheckoutSession(paid, clock.instant())));
    }

    private CheckoutSession toCheckoutSession(LocalSession session, Instant now) {
        CheckoutState state = session.paid() ? CheckoutState.COMPLETE
                : session.expiredAt(now) ? CheckoutState.EXPIRED : CheckoutState.OPEN;
        return new CheckoutSession(session.id(), session.orgId(), session.amountCents(), state, session.paid(),
                checkoutBaseUrl + session.id(), session.customerId(), session.paid() ? CARD : null,
                session.paymentIntentId());
    }

    private String newSessionId() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return SESSION_PREFIX + new String(id);
    }

    /** 24 hex digits of SHA-256 over a purpose and a key: the same key always gives the same id. */
    private static String digest(String purpose, String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((purpose + ":" + key).getBytes(UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
