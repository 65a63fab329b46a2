package io.agentbilling.stripe.fake;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small, stateful stand-in for Stripe's v1 API on 127.0.0.1 (JDK {@link HttpServer}, port 0), for driving the real
 * stripe-java client offline. Point {@code StripeConfig.apiBase} at {@link #baseUrl()}.
 *
 * <p>What it does, as Stripe does:
 * <ul>
 *   <li>{@code POST /v1/customers}, {@code POST /v1/checkout/sessions}, {@code GET /v1/checkout/sessions/{id}}
 *       (with {@code expand[]=payment_intent}), {@code POST /v1/payment_intents} (off-session confirm),
 *       {@code GET /v1/payment_intents/{id}}, {@code GET /v1/customers/{id}}; anything else is a 404;</li>
 *   <li>answers with JSON shaped like Stripe's (ids, {@code object}, nulls present) and a {@code Request-Id};</li>
 *   <li>requires a {@code Bearer sk_…} (or {@code rk_…}) key;</li>
 *   <li>stores the first answer to each {@code Idempotency-Key} (successes and card errors) and replays it for a
 *       repeat with the same parameters, marked {@code Idempotent-Replayed: true}; the same key with other
 *       parameters is a 400 {@code idempotency_error}; validation errors and scripted 5xx are not stored;</li>
 *   <li>validates what Stripe validates and we care about: amounts of at least 50, known customers, payment
 *       methods attached to the customer being charged.</li>
 * </ul>
 * Tests drive it with {@link #failNext}, and move sessions along as a paying customer would
 * ({@link #payCheckout}, {@link #expireCheckout}, …). It also serves a minimal hosted checkout page at the session's
 * {@code url}: {@code POST} to it pays and redirects to the success URL, like Stripe Checkout.
 *
 * <p>Thread-safe: every request and every test-side call runs under one lock (delays are served outside it).
 */
public final class FakeStripeServer implements AutoCloseable {
    public static final long MINIMUM_AMOUNT_CENTS = 50;

    private static final Pattern SESSION_PATH = Pattern.compile("/v1/checkout/sessions/([^/]+)");
    private static final Pattern PAYMENT_INTENT_PATH = Pattern.compile("/v1/payment_intents/([^/]+)");
    private static final Pattern CUSTOMER_PATH = Pattern.compile("/v1/customers/([^/]+)");
    private static final Pattern CHECKOUT_PAGE_PATH = Pattern.compile("/c/pay/([^/]+)");

    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final AtomicLong sequence = new AtomicLong();
    private final Object lock = new Object();

    // Everything below is guarded by lock.
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<ScriptedFault> faults = new ArrayList<>();
    private final Map<String, StoredResponse> idempotentResponses = new HashMap<>();
    private final Map<String, JsonObject> customers = new LinkedHashMap<>();
    private final Map<String, JsonObject> sessions = new LinkedHashMap<>();
    private final Map<String, JsonObject> sessionPaymentIntentData = new HashMap<>();
    private final Map<String, JsonObject> paymentIntents = new LinkedHashMap<>();
    private final Map<String, JsonObject> charges = new LinkedHashMap<>();
    /** Payment method id to the customer it is attached to (null when detached). */
    private final Map<String, String> paymentMethods = new HashMap<>();

    private FakeStripeServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts on a free port of 127.0.0.1. Close it when done. */
    public static FakeStripeServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fake-stripe");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            FakeStripeServer fake = new FakeStripeServer(server, executor);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Stripe server", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, the value for the client's API base. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- scripting

    /** The next {@code times} API requests of any kind get {@code fault}. */
    public void failNext(int times, Fault fault) {
        failNext(null, null, times, fault);
    }

    /**
     * The next {@code times} requests with this method (null: any) whose path starts with {@code pathPrefix}
     * (null: any) get {@code fault}, e.g. {@code failNext("POST", "/v1/payment_intents", 1, Fault.serverError())}.
     */
    public void failNext(String method, String pathPrefix, int times, Fault fault) {
        Objects.requireNonNull(fault, "fault");
        if (times <= 0) {
            throw new IllegalArgumentException("times must be positive");
        }
        synchronized (lock) {
            faults.add(new ScriptedFault(method, pathPrefix, times, fault));
        }
    }

    /** How many scripted faults are still waiting to be used. */
    public int pendingFaults() {
        synchronized (lock) {
            return faults.stream().mapToInt(ScriptedFault::remaining).sum();
        }
    }

    // ---------------------------------------------------------------- recorded requests

    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** Requests with {@code method} whose path starts with {@code pathPrefix}, in arrival order. */
    public List<RecordedRequest> requests(String method, String pathPrefix) {
        return requests().stream()
                .filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix))
                .toList();
    }

    /** The only such request; fails when there is none or more than one. */
    public RecordedRequest onlyRequest(String method, String pathPrefix) {
        List<RecordedRequest> matching = requests(method, pathPrefix);
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one " + method + " " + pathPrefix + " but got " + matching);
        }
        return matching.get(0);
    }

    public void clearRequests() {
        synchronized (lock) {
            requests.clear();
        }
    }

    // ---------------------------------------------------------------- state, as tests and customers change it

    /** A customer that exists on the fake's side, as if created earlier. */
    public String addCustomer() {
        synchronized (lock) {
            JsonObject customer = newCustomer(null, Map.of());
            return customer.get("id").getAsString();
        }
    }

    /** A new card saved on {@code customerId}, usable off-session. */
    public String attachPaymentMethod(String customerId) {
        synchronized (lock) {
            requireKnown(customers, customerId);
            String id = nextId("pm");
            paymentMethods.put(id, customerId);
            return id;
        }
    }

    /** Detaches a saved card, as a customer removing it in the dashboard would. */
    public void detachPaymentMethod(String paymentMethodId) {
        synchronized (lock) {
            if (!paymentMethods.containsKey(paymentMethodId)) {
                throw new NoSuchElementException("no payment method " + paymentMethodId);
            }
            paymentMethods.put(paymentMethodId, null);
        }
    }

    /**
     * The customer pays an open session by card: a succeeded payment intent and charge, the card saved on the
     * session's customer (setup_future_usage), the session complete and paid. Returns the payment intent id.
     */
    public String payCheckout(String sessionId) {
        synchronized (lock) {
            JsonObject session = openSession(sessionId);
            JsonObject intent = sessionPaymentIntent(session, "succeeded");
            session.addProperty("status", "complete");
            session.addProperty("payment_status", "paid");
            session.add("url", JsonNull.INSTANCE);
            return intent.get("id").getAsString();
        }
    }

    /**
     * The customer completes a session with a delayed-notification method: complete but unpaid, its payment intent
     * processing. Settle it with {@link #settleAsyncPayment}. Returns the payment intent id.
     */
    public String completeCheckoutAwaitingPayment(String sessionId) {
        synchronized (lock) {
            JsonObject session = openSession(sessionId);
            JsonObject intent = sessionPaymentIntent(session, "processing");
            session.addProperty("status", "complete");
            session.addProperty("payment_status", "unpaid");
            session.add("url", JsonNull.INSTANCE);
            return intent.get("id").getAsString();
        }
    }

    /** The delayed payment of a completed session succeeds (session paid) or fails (session stays unpaid). */
    public void settleAsyncPayment(String sessionId, boolean succeeded) {
        synchronized (lock) {
            JsonObject session = requireKnown(sessions, sessionId);
            JsonObject intent = requireKnown(paymentIntents, stringOrNull(session, "payment_intent"));
            if (succeeded) {
                succeed(intent);
                session.addProperty("payment_status", "paid");
            } else {
                intent.addProperty("status", "requires_payment_method");
                intent.add("last_payment_error", errorObject("card_error", "payment_intent_payment_attempt_failed",
                        null, "The payment failed.", null));
            }
        }
    }

    /** The session times out unpaid. */
    public void expireCheckout(String sessionId) {
        synchronized (lock) {
            JsonObject session = openSession(sessionId);
            session.addProperty("status", "expired");
            session.add("url", JsonNull.INSTANCE);
        }
    }

    /**
     * Refunds {@code amountCents} of the charge behind a succeeded payment intent; the charge's
     * {@code amount_refunded} is cumulative, as on Stripe. Returns the charge id.
     */
    public String refund(String paymentIntentId, long amountCents) {
        synchronized (lock) {
            JsonObject intent = requireKnown(paymentIntents, paymentIntentId);
            JsonObject charge = requireKnown(charges, stringOrNull(intent, "latest_charge"));
            long refunded = charge.get("amount_refunded").getAsLong() + amountCents;
            if (amountCents <= 0 || refunded > charge.get("amount").getAsLong()) {
                throw new IllegalArgumentException("cannot refund " + amountCents + " of " + charge);
            }
            charge.addProperty("amount_refunded", refunded);
            charge.addProperty("refunded", refunded == charge.get("amount").getAsLong());
            return charge.get("id").getAsString();
        }
    }

    /** Stores a hand-made checkout session (e.g. another currency); it must have an {@code id}. */
    public void putCheckoutSession(JsonObject session) {
        synchronized (lock) {
            sessions.put(session.get("id").getAsString(), session.deepCopy());
        }
    }

    public JsonObject checkoutSession(String id) {
        synchronized (lock) {
            return requireKnown(sessions, id).deepCopy();
        }
    }

    public JsonObject paymentIntent(String id) {
        synchronized (lock) {
            return requireKnown(paymentIntents, id).deepCopy();
        }
    }

    public JsonObject charge(String id) {
        synchronized (lock) {
            return requireKnown(charges, id).deepCopy();
        }
    }

    public JsonObject customer(String id) {
        synchronized (lock) {
            return requireKnown(customers, id).deepCopy();
        }
    }

    public List<JsonObject> checkoutSessions() {
        synchronized (lock) {
            return sessions.values().stream().map(JsonObject::deepCopy).toList();
        }
    }

    public List<JsonObject> paymentIntents() {
        synchronized (lock) {
            return paymentIntents.values().stream().map(JsonObject::deepCopy).toList();
        }
    }

    /** Charges that moved money (one per succeeded payment intent): the "how often did we charge" count. */
    public long succeededChargeCount() {
        synchronized (lock) {
            return charges.values().stream().filter(c -> "succeeded".equals(c.get("status").getAsString())).count();
        }
    }

    /**
     * A webhook payload of {@code type} carrying the current state of the stored object {@code objectId}
     * ({@code cs_…}, {@code pi_…} or {@code ch_…}), unexpanded as Stripe sends it. Sign it with
     * {@link StripeEvents#signatureHeader}.
     */
    public String eventFor(String type, String objectId) {
        JsonObject object;
        synchronized (lock) {
            if (sessions.containsKey(objectId)) {
                object = sessions.get(objectId).deepCopy();
            } else if (paymentIntents.containsKey(objectId)) {
                object = paymentIntents.get(objectId).deepCopy();
            } else if (charges.containsKey(objectId)) {
                object = charges.get(objectId).deepCopy();
            } else {
                throw new NoSuchElementException("no stored object " + objectId);
            }
        }
        return StripeEvents.event(type, object);
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/v1/")) {
                handleApi(exchange);
            } else if (CHECKOUT_PAGE_PATH.matcher(path).matches()) {
                handleCheckoutPage(exchange);
            } else {
                send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8), Map.of());
            }
        } catch (IOException e) {
            // A client that gave up (read timeout) closed the socket under us; nothing to report.
        } catch (RuntimeException e) {
            // A bug in the fake, or a request it cannot parse: make it loud, never a silent hang.
            e.printStackTrace();
            throw e;
        }
    }

    private void handleApi(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String body = readBody(exchange.getRequestBody());
        Map<String, String> params = FormCodec.decode("POST".equals(method) ? body : rawQuery);
        Map<String, List<String>> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");

        Outcome outcome;
        synchronized (lock) {
            try {
                outcome = respond(method, path, params, headers, idempotencyKey);
            } catch (RuntimeException e) {
                // 400, which the client does not retry: a malformed number in a form, or a bug in the fake.
                outcome = Outcome.of(error(400, "invalid_request_error", "fake_stripe_cannot_handle",
                        "The fake Stripe server could not handle this request: " + e, null));
            }
            requests.add(new RecordedRequest(method, path, rawQuery, params, idempotencyKey, headers,
                    outcome.response().status(), outcome.replayed()));
        }
        if (outcome.delay() != null) {
            try {
                Thread.sleep(outcome.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        responseHeaders.put("Request-Id", "req_fake_" + sequence.incrementAndGet());
        if (idempotencyKey != null) {
            responseHeaders.put("Idempotency-Key", idempotencyKey);
        }
        if (outcome.replayed()) {
            responseHeaders.put("Idempotent-Replayed", "true");
        }
        send(exchange, outcome.response().status(), "application/json",
                outcome.response().body().getBytes(StandardCharsets.UTF_8), responseHeaders);
    }

    private Outcome respond(String method, String path, Map<String, String> params,
                            Map<String, List<String>> headers, String idempotencyKey) {
        List<String> authorization = headers.getOrDefault("authorization", List.of());
        String auth = authorization.isEmpty() ? "" : authorization.get(0);
        if (!auth.startsWith("Bearer sk_") && !auth.startsWith("Bearer rk_")) {
            return Outcome.of(error(401, "invalid_request_error", null, "You did not provide a valid API key.",
                    null));
        }
        Fault fault = takeFault(method, path);
        if (fault != null && fault.kind() == Fault.Kind.ERROR) {
            return Outcome.of(error(fault.status(), fault.type(), fault.code(), fault.message(), null));
        }
        Duration delay = fault != null && fault.kind() == Fault.Kind.DELAY ? fault.delay() : null;

        boolean idempotent = "POST".equals(method) && idempotencyKey != null;
        String fingerprint = method + " " + path + " " + new TreeMap<>(params);
        if (idempotent && idempotentResponses.containsKey(idempotencyKey)) {
            StoredResponse stored = idempotentResponses.get(idempotencyKey);
            if (!stored.fingerprint().equals(fingerprint)) {
                return Outcome.of(error(400, "idempotency_error", null,
                        "Keys for idempotent requests can only be used with the same parameters they were first "
                                + "used with. Try using a key other than '" + idempotencyKey + "' if you meant to "
                                + "execute a different request.", null));
            }
            return new Outcome(stored.response(), true, delay);
        }
        Response response = execute(method, path, params, fault);
        // Stripe saves the result once an endpoint began executing: successes and card errors, not validation errors.
        if (idempotent && (response.status() < 300 || response.status() == 402)) {
            idempotentResponses.put(idempotencyKey, new StoredResponse(fingerprint, response));
        }
        return new Outcome(response, false, delay);
    }

    private Response execute(String method, String path, Map<String, String> params, Fault fault) {
        Matcher matcher;
        if ("POST".equals(method) && path.equals("/v1/customers")) {
            return cardErrorOr(fault, () -> ok(newCustomer(params.get("name"), FormCodec.subMap(params, "metadata"))));
        }
        if ("POST".equals(method) && path.equals("/v1/checkout/sessions")) {
            return cardErrorOr(fault, () -> createSession(params));
        }
        if ("POST".equals(method) && path.equals("/v1/payment_intents")) {
            return createPaymentIntent(params, fault);
        }
        if ("GET".equals(method) && (matcher = SESSION_PATH.matcher(path)).matches()) {
            JsonObject session = sessions.get(matcher.group(1));
            if (session == null) {
                return notFound("checkout.session", matcher.group(1));
            }
            return ok(expand(session, FormCodec.subMap(params, "expand").values().stream().toList()));
        }
        if ("GET".equals(method) && (matcher = PAYMENT_INTENT_PATH.matcher(path)).matches()) {
            JsonObject intent = paymentIntents.get(matcher.group(1));
            return intent == null ? notFound("payment_intent", matcher.group(1)) : ok(intent);
        }
        if ("GET".equals(method) && (matcher = CUSTOMER_PATH.matcher(path)).matches()) {
            JsonObject customer = customers.get(matcher.group(1));
            return customer == null ? notFound("customer", matcher.group(1)) : ok(customer);
        }
        return error(404, "invalid_request_error", null,
                "Unrecognized request URL (" + method + ": " + path + ").", null);
    }

    private Response cardErrorOr(Fault fault, java.util.function.Supplier<Response> normal) {
        if (fault != null && fault.kind() == Fault.Kind.CARD_ERROR) {
            return cardError(fault, null);
        }
        return normal.get();
    }

    private Response createSession(Map<String, String> params) {
        if (!"payment".equals(params.get("mode"))) {
            return error(400, "invalid_request_error", "parameter_invalid_string",
                    "The fake only supports mode=payment.", "mode");
        }
        for (String required : List.of("success_url", "line_items[0][price_data][unit_amount]",
                "line_items[0][price_data][currency]", "line_items[0][quantity]")) {
            if (params.get(required) == null) {
                return missing(required);
            }
        }
        String customer = params.get("customer");
        if (customer != null && !customers.containsKey(customer)) {
            return notFoundParam("customer", customer, "customer");
        }
        long unitAmount = Long.parseLong(params.get("line_items[0][price_data][unit_amount]"));
        long amount = Math.multiplyExact(unitAmount, Long.parseLong(params.get("line_items[0][quantity]")));
        if (amount < MINIMUM_AMOUNT_CENTS) {
            return amountTooSmall("line_items[0][price_data][unit_amount]");
        }
        String id = nextId("cs");
        long now = Instant.now().getEpochSecond();
        JsonObject session = new JsonObject();
        session.addProperty("id", id);
        session.addProperty("object", "checkout.session");
        session.addProperty("amount_subtotal", amount);
        session.addProperty("amount_total", amount);
        session.addProperty("cancel_url", params.get("cancel_url"));
        session.addProperty("client_reference_id", params.get("client_reference_id"));
        session.addProperty("created", now);
        session.addProperty("currency", params.get("line_items[0][price_data][currency]"));
        session.addProperty("customer", customer);
        session.addProperty("expires_at", now + 24 * 3600);
        session.addProperty("livemode", false);
        session.add("metadata", toJson(FormCodec.subMap(params, "metadata")));
        session.addProperty("mode", "payment");
        session.add("payment_intent", JsonNull.INSTANCE);
        session.addProperty("payment_status", "unpaid");
        session.add("setup_intent", JsonNull.INSTANCE);
        session.addProperty("status", "open");
        session.addProperty("success_url", params.get("success_url"));
        session.addProperty("url", baseUrl + "/c/pay/" + id);
        sessions.put(id, session);

        JsonObject intentData = new JsonObject();
        intentData.add("metadata", toJson(FormCodec.subMap(params, "payment_intent_data[metadata]")));
        intentData.addProperty("setup_future_usage", params.get("payment_intent_data[setup_future_usage]"));
        sessionPaymentIntentData.put(id, intentData);
        return ok(session);
    }

    private Response createPaymentIntent(Map<String, String> params, Fault fault) {
        for (String required : List.of("amount", "currency")) {
            if (params.get(required) == null) {
                return missing(required);
            }
        }
        long amount = Long.parseLong(params.get("amount"));
        if (amount < MINIMUM_AMOUNT_CENTS) {
            return amountTooSmall("amount");
        }
        String customer = params.get("customer");
        if (customer != null && !customers.containsKey(customer)) {
            return notFoundParam("customer", customer, "customer");
        }
        String paymentMethod = params.get("payment_method");
        boolean confirm = "true".equals(params.get("confirm"));
        if (paymentMethod != null) {
            if (!paymentMethods.containsKey(paymentMethod)) {
                return notFoundParam("PaymentMethod", paymentMethod, "payment_method");
            }
            if (!Objects.equals(paymentMethods.get(paymentMethod), customer)) {
                return error(400, "invalid_request_error", null, "The provided PaymentMethod " + paymentMethod
                        + " is not attached to customer " + customer + ".", "payment_method");
            }
        } else if (confirm) {
            return error(400, "invalid_request_error", "payment_intent_unexpected_state",
                    "You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_method");
        }
        JsonObject intent = newPaymentIntent(amount, params.get("currency"), customer, paymentMethod,
                FormCodec.subMap(params, "metadata"), null);
        if (!confirm) {
            intent.addProperty("status", "requires_confirmation");
            return ok(intent);
        }
        if (fault != null && fault.kind() == Fault.Kind.CARD_ERROR) {
            intent.addProperty("status", "requires_payment_method");
            intent.add("last_payment_error", errorObject(fault.type(), fault.code(), fault.declineCode(),
                    fault.message(), paymentMethod));
            return cardError(fault, intent);
        }
        if (fault != null && fault.kind() == Fault.Kind.PAYMENT_INTENT_STATUS) {
            intent.addProperty("status", fault.paymentIntentStatus());
            return ok(intent);
        }
        succeed(intent);
        return ok(intent);
    }

    private void handleCheckoutPage(HttpExchange exchange) throws IOException {
        Matcher matcher = CHECKOUT_PAGE_PATH.matcher(exchange.getRequestURI().getPath());
        if (!matcher.matches()) {
            throw new IllegalStateException("not a checkout page path");
        }
        String sessionId = matcher.group(1);
        exchange.getRequestBody().readAllBytes();
        String html;
        int status;
        Map<String, String> headers = new LinkedHashMap<>();
        synchronized (lock) {
            JsonObject session = sessions.get(sessionId);
            if (session == null) {
                status = 404;
                html = "<!doctype html><p>Unknown checkout session.</p>";
            } else if (!"open".equals(session.get("status").getAsString())) {
                status = 409;
                html = "<!doctype html><p>This checkout session is " + session.get("status").getAsString() + ".</p>";
            } else if ("POST".equalsIgnoreCase(exchange.getRequestMethod())) {
                payCheckout(sessionId);
                status = 303;
                headers.put("Location", session.get("success_url").getAsString()
                        .replace("{CHECKOUT_SESSION_ID}", sessionId));
                html = "";
            } else {
                status = 200;
                html = "<!doctype html><title>Fake Stripe Checkout</title><h1>Pay "
                        + session.get("amount_total").getAsLong() + " cents</h1><form method=\"post\">"
                        + "<button type=\"submit\">Pay</button></form><a href=\""
                        + stringOrNull(session, "cancel_url") + "\">Cancel</a>";
            }
        }
        send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), headers);
    }

    // ---------------------------------------------------------------- object builders (under lock)

    private JsonObject newCustomer(String name, Map<String, String> metadata) {
        String id = nextId("cus");
        JsonObject customer = new JsonObject();
        customer.addProperty("id", id);
        customer.addProperty("object", "customer");
        customer.addProperty("created", Instant.now().getEpochSecond());
        customer.add("email", JsonNull.INSTANCE);
        customer.addProperty("livemode", false);
        customer.add("metadata", toJson(metadata));
        customer.addProperty("name", name);
        customers.put(id, customer);
        return customer;
    }

    private JsonObject newPaymentIntent(long amount, String currency, String customer, String paymentMethod,
                                        Map<String, String> metadata, String setupFutureUsage) {
        String id = nextId("pi");
        JsonObject intent = new JsonObject();
        intent.addProperty("id", id);
        intent.addProperty("object", "payment_intent");
        intent.addProperty("amount", amount);
        intent.addProperty("amount_received", 0);
        intent.addProperty("capture_method", "automatic");
        intent.addProperty("client_secret", id + "_secret_fake");
        intent.addProperty("confirmation_method", "automatic");
        intent.addProperty("created", Instant.now().getEpochSecond());
        intent.addProperty("currency", currency);
        intent.addProperty("customer", customer);
        intent.add("last_payment_error", JsonNull.INSTANCE);
        intent.add("latest_charge", JsonNull.INSTANCE);
        intent.addProperty("livemode", false);
        intent.add("metadata", toJson(metadata));
        intent.addProperty("payment_method", paymentMethod);
        intent.addProperty("setup_future_usage", setupFutureUsage);
        intent.addProperty("status", "requires_payment_method");
        paymentIntents.put(id, intent);
        return intent;
    }

    /** The session's payment intent, created as Stripe does when the customer confirms (not before). */
    private JsonObject sessionPaymentIntent(JsonObject session, String status) {
        String sessionId = session.get("id").getAsString();
        JsonObject intentData = sessionPaymentIntentData.getOrDefault(sessionId, new JsonObject());
        String customer = stringOrNull(session, "customer");
        String setupFutureUsage = stringOrNull(intentData, "setup_future_usage");
        String paymentMethod = nextId("pm");
        // Saved on the customer only when the session asked for it and has a customer, as on Stripe.
        paymentMethods.put(paymentMethod, setupFutureUsage != null ? customer : null);
        Map<String, String> metadata = new LinkedHashMap<>();
        if (intentData.has("metadata")) {
            intentData.getAsJsonObject("metadata").entrySet()
                    .forEach(e -> metadata.put(e.getKey(), e.getValue().getAsString()));
        }
        JsonObject intent = newPaymentIntent(session.get("amount_total").getAsLong(),
                stringOrNull(session, "currency"), customer, paymentMethod, metadata, setupFutureUsage);
        if ("succeeded".equals(status)) {
            succeed(intent);
        } else {
            intent.addProperty("status", status);
        }
        session.addProperty("payment_intent", intent.get("id").getAsString());
        return intent;
    }

    private void succeed(JsonObject intent) {
        String chargeId = nextId("ch");
        JsonObject charge = new JsonObject();
        charge.addProperty("id", chargeId);
        charge.addProperty("object", "charge");
        charge.addProperty("amount", intent.get("amount").getAsLong());
        charge.addProperty("amount_captured", intent.get("amount").getAsLong());
        charge.addProperty("amount_refunded", 0);
        charge.addProperty("captured", true);
        charge.addProperty("created", Instant.now().getEpochSecond());
        charge.add("currency", intent.get("currency"));
        charge.add("customer", intent.get("customer"));
        charge.addProperty("livemode", false);
        // Stripe does not copy a payment intent's metadata onto its charges.
        charge.add("metadata", new JsonObject());
        charge.addProperty("paid", true);
        charge.addProperty("payment_intent", intent.get("id").getAsString());
        charge.add("payment_method", intent.get("payment_method"));
        charge.addProperty("refunded", false);
        charge.addProperty("status", "succeeded");
        charges.put(chargeId, charge);
        intent.addProperty("status", "succeeded");
        intent.addProperty("amount_received", intent.get("amount").getAsLong());
        intent.addProperty("latest_charge", chargeId);
        intent.add("last_payment_error", JsonNull.INSTANCE);
    }

    private JsonObject expand(JsonObject session, List<String> expansions) {
        JsonObject copy = session.deepCopy();
        for (String field : expansions) {
            String id = stringOrNull(copy, field);
            if (id != null && field.equals("payment_intent") && paymentIntents.containsKey(id)) {
                copy.add(field, paymentIntents.get(id).deepCopy());
            }
        }
        return copy;
    }

    // ---------------------------------------------------------------- responses

    private Response cardError(Fault fault, JsonObject paymentIntent) {
        JsonObject error = errorObject(fault.type(), fault.code(), fault.declineCode(), fault.message(),
                paymentIntent == null ? null : stringOrNull(paymentIntent, "payment_method"));
        if (paymentIntent != null) {
            error.add("payment_intent", paymentIntent.deepCopy());
        }
        JsonObject body = new JsonObject();
        body.add("error", error);
        return new Response(fault.status(), StripeEvents.GSON.toJson(body));
    }

    private static JsonObject errorObject(String type, String code, String declineCode, String message,
                                          String paymentMethod) {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        error.addProperty("code", code);
        if (declineCode != null) {
            error.addProperty("decline_code", declineCode);
        }
        error.addProperty("message", message);
        if (code != null) {
            error.addProperty("doc_url", "https://docs.stripe.com/error-codes/" + code.replace('_', '-'));
        }
        if (paymentMethod != null) {
            JsonObject method = new JsonObject();
            method.addProperty("id", paymentMethod);
            method.addProperty("object", "payment_method");
            error.add("payment_method", method);
        }
        return error;
    }

    private static Response error(int status, String type, String code, String message, String param) {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        if (code != null) {
            error.addProperty("code", code);
        }
        error.addProperty("message", message);
        if (param != null) {
            error.addProperty("param", param);
        }
        JsonObject body = new JsonObject();
        body.add("error", error);
        return new Response(status, StripeEvents.GSON.toJson(body));
    }

    private static Response ok(JsonObject object) {
        return new Response(200, StripeEvents.GSON.toJson(object));
    }

    private static Response notFound(String objectType, String id) {
        return error(404, "invalid_request_error", "resource_missing",
                "No such " + objectType + ": '" + id + "'", "id");
    }

    private static Response notFoundParam(String objectType, String id, String param) {
        return error(400, "invalid_request_error", "resource_missing",
                "No such " + objectType + ": '" + id + "'", param);
    }

    private static Response missing(String param) {
        return error(400, "invalid_request_error", "parameter_missing", "Missing required param: " + param + ".",
                param);
    }

    private static Response amountTooSmall(String param) {
        return error(400, "invalid_request_error", "amount_too_small",
                "Amount must be at least $0.50 usd", param);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body,
                             Map<String, String> headers) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private Fault takeFault(String method, String path) {
        for (int i = 0; i < faults.size(); i++) {
            ScriptedFault scripted = faults.get(i);
            if (scripted.matches().test(method + " " + path)) {
                if (scripted.remaining() <= 1) {
                    faults.remove(i);
                } else {
                    faults.set(i, new ScriptedFault(scripted.method(), scripted.pathPrefix(),
                            scripted.remaining() - 1, scripted.fault()));
                }
                return scripted.fault();
            }
        }
        return null;
    }

    private JsonObject openSession(String sessionId) {
        JsonObject session = requireKnown(sessions, sessionId);
        if (!"open".equals(session.get("status").getAsString())) {
            throw new IllegalStateException("checkout session " + sessionId + " is not open: " + session);
        }
        return session;
    }

    private static JsonObject requireKnown(Map<String, JsonObject> objects, String id) {
        JsonObject object = id == null ? null : objects.get(id);
        if (object == null) {
            throw new NoSuchElementException("the fake has no object " + id);
        }
        return object;
    }

    private static String stringOrNull(JsonObject object, String field) {
        JsonElement value = object.get(field);
        return value == null || value.isJsonNull() || !value.isJsonPrimitive() ? null : value.getAsString();
    }

    private static JsonObject toJson(Map<String, String> map) {
        JsonObject object = new JsonObject();
        map.forEach(object::addProperty);
        return object;
    }

    private String nextId(String prefix) {
        return FakeIds.next(prefix, sequence.incrementAndGet());
    }

    private static String readBody(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private record Response(int status, String body) {}

    private record StoredResponse(String fingerprint, Response response) {}

    private record Outcome(Response response, boolean replayed, Duration delay) {
        static Outcome of(Response response) {
            return new Outcome(response, false, null);
        }
    }

    private record ScriptedFault(String method, String pathPrefix, int remaining, Fault fault) {
        Predicate<String> matches() {
            return methodAndPath -> {
                int space = methodAndPath.indexOf(' ');
                String requestMethod = methodAndPath.substring(0, space);
                String requestPath = methodAndPath.substring(space + 1);
                return (method == null || method.equalsIgnoreCase(requestMethod))
                        && (pathPrefix == null || requestPath.startsWith(pathPrefix));
            };
        }
    }
}
