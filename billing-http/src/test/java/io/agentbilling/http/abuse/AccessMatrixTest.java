package io.agentbilling.http.abuse;

import static io.agentbilling.http.support.Envelopes.errorProblems;
import static io.agentbilling.http.support.Envelopes.parse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.RevokeApiKey;
import io.agentbilling.core.usecase.GrantCredit;
import io.agentbilling.core.usecase.PlaceHold;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import io.agentbilling.http.abuse.ApiDescription.Route;
import io.agentbilling.http.abuse.RouteSamples.Sample;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.http.support.LogCapture;
import io.agentbilling.stripe.fake.FakeStripeServer;
import io.agentbilling.stripe.fake.StripeEvents;
import java.net.URLEncoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Who may call what, on every route the server registers (read from {@code /openapi.json}) and with every kind of
 * credential: none, malformed, unknown, revoked, expired, a member's key on an admin route, another org's key with
 * and without {@code orgId}, an API key on an internal route, the internal secret on a public route, a wrong
 * secret, in either header. Each refusal is the error envelope and nothing else, and changes nothing; every request
 * carries a valid body, so a hole in the check would show as a changed database. Also: redirect targets outside the
 * allow-list, forged or stale Stripe webhooks, and no key or secret in any log line or answer.
 *
 * <p>The server is configured for Stripe against {@link FakeStripeServer}, so top-ups and webhooks are the real
 * paths.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessMatrixTest {
    private static final String WEBHOOK_SECRET = "whsec_access_" + random(16);
    private static final String STRIPE_KEY = "sk_test_access_" + random(16);
    private static final String WEBHOOK = "/v1/billing/webhooks/stripe";
    private static final String SECRET_HEADER = "X-Internal-Secret";
    /** How long the expiring key lives: long enough to prove it worked, short enough to wait for. */
    private static final Duration KEY_LIFETIME = Duration.ofSeconds(2);

    private static FakeStripeServer stripe;
    private static TestApplication app;
    private static Wire wire;
    private static DatabaseState database;
    private static LogCapture log;
    private static ApiDescription api;
    private static TestOrg a;
    private static TestOrg b;
    private static RouteSamples samples;
    private static String sessionOfA;
    private static String revokedKey;
    private static String expiredKey;
    private static Instant expiry;
    /** Every key and secret this suite used: none may appear in a log line or an answer. */
    private static final Set<String> SECRETS = new LinkedHashSet<>();
    /** Session tokens: set as a cookie in their sign-in answer, and never anywhere else (no log line). */
    private static final Set<String> SESSION_TOKENS = new LinkedHashSet<>();
    private static Wire.SignedIn adminSessionOfA;
    private static Wire.SignedIn memberSessionOfA;
    private static Wire.SignedIn adminSessionOfB;
    private static Wire.SignedIn endedSession;
    private static Wire.SignedIn revokedKeySession;
    private static Wire.SignedIn expiredKeySession;

    /** A credential as sent: a name for the report, and the headers. */
    private record Credential(String name, String... headers) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A credential and what a route of some access level must answer to it. */
    private record Refusal(Credential credential, int status, String code) {}

    @BeforeAll
    static void start() {
        log = new LogCapture();
        stripe = FakeStripeServer.start();
        app = new TestApplication(Map.of(
                ServerConfig.STRIPE_SECRET_KEY, STRIPE_KEY,
                ServerConfig.STRIPE_WEBHOOK_SECRET, WEBHOOK_SECRET,
                ServerConfig.STRIPE_API_BASE, stripe.baseUrl(),
                ServerConfig.SANDBOX_HEARTBEAT_TIMEOUT_SECONDS, "86400"));
        wire = new Wire(app);
        database = new DatabaseState(app.database);
        api = ApiDescription.parse(app.get("/openapi.json").body());
        a = app.newOrg("pro");
        b = app.newOrg("pro");
        // Orgs a day old: the samples report usage of the last hour (which may not precede the org's creation).
        app.backdate(a.orgId(), java.time.Duration.ofDays(1));
        app.backdate(b.orgId(), java.time.Duration.ofDays(1));
        SECRETS.addAll(List.of(TestApplication.INTERNAL_SECRET, WEBHOOK_SECRET, STRIPE_KEY, a.adminKey(),
                a.memberKey(), b.adminKey(), b.memberKey()));

        String sandboxId = "sb-access-" + UUID.randomUUID();
        app.app.billing().startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId(sandboxId).orgId(a.orgId()).memberId(a.member().id()).size("small")
                .startedAt(Instant.now().minus(1, ChronoUnit.HOURS)).idempotencyKey("start-" + sandboxId).build());
        ApiKey toRevokeByRoute = app.app.billing().createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(a.orgId()).memberId(a.member().id()).name("revocable").build()).key();
        app.app.billing().grantCredit().execute(GrantCredit.Command.builder().orgId(a.orgId()).amountCents(10_000)
                .idempotencyKey("sample-credit").build());
        UUID holdId = app.app.billing().spendControls().placeHold().execute(PlaceHold.Command.builder()
                .orgId(a.orgId()).amountCents(1).ttlSeconds(7 * 24 * 3600).idempotencyKey("sample-hold").build())
                .hold().id().value();
        samples = new RouteSamples(a, sandboxId, toRevokeByRoute.id().value(), holdId, RouteSamples.webhooks(app, a));

        CreateApiKey.Result revoked = app.app.billing().createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(a.orgId()).memberId(a.admin().id()).name("soon revoked").build());
        revokedKey = revoked.plainKey();
        expiry = Instant.now().plus(KEY_LIFETIME);
        expiredKey = app.app.billing().createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(a.orgId()).memberId(a.admin().id()).name("soon expired").expiresAt(expiry).build()).plainKey();
        SECRETS.addAll(List.of(revokedKey, expiredKey));
        // Both keys work until they are revoked or expire: what refuses them later is exactly that.
        assertThat(wire.send("GET", "/v1/billing/plan", null, null, "X-API-Key", revokedKey).status()).isEqualTo(200);
        assertThat(wire.send("GET", "/v1/billing/plan", null, null, "X-API-Key", expiredKey).status()).isEqualTo(200);
        // Sessions opened with those keys while they worked; what ends them later is the key's revocation or expiry.
        revokedKeySession = signIn(revokedKey);
        expiredKeySession = signIn(expiredKey);
        assertThat(wire.send("GET", "/v1/billing/plan", null, null, revokedKeySession.headers()).status()).isEqualTo(200);
        app.app.billing().revokeApiKey().execute(new RevokeApiKey.Command(a.orgId(), revoked.key().id()));
        adminSessionOfA = signIn(a.adminKey());
        memberSessionOfA = signIn(a.memberKey());
        adminSessionOfB = signIn(b.adminKey());
        endedSession = signIn(a.adminKey());
        assertThat(wire.send("DELETE", "/v1/billing/session", null, null, endedSession.headers()).status())
                .isEqualTo(204);

        Answer topup = wire.json("POST", "/v1/billing/topup", "{\"amountCents\": 2500}", "X-API-Key", a.adminKey());
        assertThat(topup.status()).as(topup.body()).isEqualTo(200);
        sessionOfA = parse(topup.body()).path("data").path("sessionId").asText();
    }

    @AfterAll
    static void stop() {
        try {
            if (database != null) {
                database.close();
            }
            if (app != null) {
                app.close();
            }
        } finally {
            try {
                if (stripe != null) {
                    stripe.close();
                }
            } finally {
                log.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The matrix

    @TestFactory
    @Order(1)
    Stream<DynamicTest> every_member_and_admin_route_refuses_every_wrong_credential_and_shows_nothing() {
        awaitExpiry();
        return api.routes().stream().filter(r -> r.access().equals("member") || r.access().equals("admin"))
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> refuseAll(route, keyRouteRefusals(route))));
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> every_internal_route_refuses_everything_but_a_configured_secret() {
        awaitExpiry();
        return api.routes().stream().filter(r -> r.access().equals("internal"))
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> refuseAll(route, internalRouteRefusals())));
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> every_member_and_admin_route_refuses_ended_sessions_and_session_writes_without_the_csrf_token() {
        awaitExpiry();
        return keyRoutes().stream()
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> refuseAll(route, sessionRefusals(route))));
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> every_session_route_takes_only_an_open_session_and_its_csrf_token_on_writes() {
        awaitExpiry();
        return api.routes().stream().filter(r -> r.access().equals("session"))
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> {
                    List<Refusal> refusals = new ArrayList<>();
                    for (Credential none : List.of(new Credential("no credential"),
                            new Credential("an admin's key", "X-API-Key", a.adminKey()),
                            new Credential("an admin's Bearer key", "Authorization", "Bearer " + a.adminKey()),
                            new Credential("the internal secret", SECRET_HEADER, TestApplication.INTERNAL_SECRET),
                            new Credential("an empty session cookie", "Cookie", "billing_session="))) {
                        refusals.add(new Refusal(none, 401, "unauthorized"));
                    }
                    refusals.addAll(endedSessionRefusals());
                    if (!route.method().equals("GET")) {
                        refusals.add(new Refusal(new Credential("a session without its CSRF token",
                                adminSessionOfA.withoutCsrf()), 403, "forbidden"));
                        refusals.add(new Refusal(new Credential("a session with another session's CSRF token",
                                withCsrf(adminSessionOfA, memberSessionOfA.csrf())), 403, "forbidden"));
                    }
                    refuseAll(route, refusals);
                }));
    }

    @Test
    @Order(2)
    void signing_in_refuses_every_key_the_api_refuses_and_opens_no_session() {
        String unknown = "rt_live_" + random(24);
        SECRETS.add(unknown);
        List<String> problems = new ArrayList<>();
        DatabaseState.Snapshot before = database.snapshot();
        for (String key : List.of(unknown, revokedKey, expiredKey, "not a key", "", "rt_live_",
                TestApplication.INTERNAL_SECRET, a.adminKey().substring(0, a.adminKey().length() - 1)
                        + (a.adminKey().endsWith("A") ? "B" : "A"))) {
            Answer response = wire.json("POST", "/v1/billing/session", "{\"apiKey\": \"" + key + "\"}");
            problems.addAll(prefixed("sign-in with " + (key.length() > 10 ? key.substring(0, 10) + "…" : key),
                    errorProblems(response, 401, "invalid_token", null), response));
            if (response.header("Set-Cookie") != null) {
                problems.add("a refused sign-in set a cookie: " + Wire.describe(response));
            }
        }
        // The key goes in the body, nowhere else: a key in a header signs nobody in.
        Answer inHeader = wire.json("POST", "/v1/billing/session", "{}", "X-API-Key", a.adminKey());
        problems.addAll(prefixed("a key in X-API-Key only", errorProblems(inHeader, 400, "bad_request", "apiKey"),
                inHeader));
        problems.addAll(unchanged(before, "refused sign-ins"));
        failIfAny(problems);
    }

    @Test
    @Order(2)
    void another_orgs_key_without_org_id_sees_only_its_own_org_and_never_an_others_session() {
        List<String> problems = new ArrayList<>();
        String idOfA = a.orgId().toString();
        for (Route route : keyRoutes()) {
            if (!route.method().equals("GET")) {
                continue;
            }
            // A route naming one of A's resources in its path (a webhook endpoint) is tried on A's resource.
            boolean ofA = route.path().contains("{");
            String path = route.path().equals("/v1/billing/success") ? route.path() + "?session_id=" + sessionOfA
                    : ofA ? samples.of(route.key()).orElseThrow().path() : route.path();
            for (String key : List.of(b.adminKey(), b.memberKey())) {
                Answer response = wire.send("GET", path, null, null, "X-API-Key", key);
                if (ofA && !(response.status() == 403 && key.equals(b.memberKey()))) {
                    problems.addAll(prefixed(route + " on A's resource with B's key",
                            errorProblems(response, 404, "not_found", null), response));
                } else if (route.path().equals("/v1/billing/success")) {
                    problems.addAll(prefixed(route + " with B's key and A's session",
                            errorProblems(response, 404, "not_found", null), response));
                } else if (response.status() == 403 && route.access().equals("admin") && key.equals(b.memberKey())) {
                    continue;
                } else if (response.status() != 200 || response.body().contains(idOfA)) {
                    problems.add(route + " with B's key: " + Wire.describe(response));
                }
            }
        }
        // A write without orgId acts on the caller's own org: B's admin opens a checkout for B, and nothing of A moves.
        List<String> known = database.orgIds();
        DatabaseState.Snapshot before = database.snapshot(b.orgId().toString(), known);
        Answer topup = wire.json("POST", "/v1/billing/topup", "{\"amountCents\": 700}", "X-API-Key", b.adminKey());
        DatabaseState.Snapshot after = database.snapshot(b.orgId().toString(), known);
        if (topup.status() != 200 || !after.othersChangedSince(before).isEmpty() || after.changedSince(before).isEmpty()) {
            problems.add("B's top-up: " + Wire.describe(topup) + ", others changed in " + after.othersChangedSince(before));
        }
        failIfAny(problems);
    }

    @Test
    @Order(2)
    void two_different_keys_in_the_two_headers_are_refused_on_every_key_route() {
        List<String> problems = new ArrayList<>();
        DatabaseState.Snapshot before = database.snapshot();
        for (Route route : keyRoutes()) {
            for (String[] headers : new String[][] {
                    {"X-API-Key", a.adminKey(), "Authorization", "Bearer " + b.adminKey()},
                    {"X-API-Key", a.adminKey(), "Authorization", "Bearer rt_live_" + random(16)}}) {
                Answer response = send(route, false, headers);
                problems.addAll(prefixed(route + " with two keys", errorProblems(response, 400, "bad_request",
                        null), response));
            }
        }
        problems.addAll(unchanged(before, "two keys"));
        failIfAny(problems);
    }

    @Test
    @Order(3)
    void the_right_credential_opens_every_route() {
        List<String> problems = new ArrayList<>();
        for (Route route : api.routes()) {
            String[] headers = switch (route.access()) {
                case "member", "admin" -> new String[] {"X-API-Key", a.adminKey()};
                case "internal" -> new String[] {SECRET_HEADER, TestApplication.INTERNAL_SECRET};
                default -> null;
            };
            if (headers == null) {
                continue;
            }
            Answer response = send(route, true, headers);
            if (response.status() / 100 != 2) {
                problems.add(route + " with the right credential: " + Wire.describe(response));
            }
            if (route.access().equals("member")) {
                Answer bearer = send(route, true, "Authorization", "Bearer " + a.memberKey());
                if (bearer.status() / 100 != 2) {
                    problems.add(route + " with a member's Bearer key: " + Wire.describe(bearer));
                }
                Answer member = send(route, true, memberSessionOfA.headers());
                if (member.status() / 100 != 2) {
                    problems.add(route + " with a member's session: " + Wire.describe(member));
                }
            }
            if (route.access().equals("member") || route.access().equals("admin")) {
                Answer session = send(route, true, adminSessionOfA.headers());
                if (session.status() / 100 != 2) {
                    problems.add(route + " with an admin's session and its CSRF token: " + Wire.describe(session));
                }
            }
        }
        for (Route route : api.routes().stream().filter(r -> r.access().equals("session")).toList()) {
            Answer response = send(route, true, signIn(a.memberKey()).headers()); // a fresh one: DELETE ends it
            if (response.status() / 100 != 2) {
                problems.add(route + " with a session and its CSRF token: " + Wire.describe(response));
            }
        }
        failIfAny(problems);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Redirects, webhooks, malformed requests

    @Test
    @Order(4)
    void top_up_redirects_outside_the_allow_list_are_refused_before_stripe_is_asked() {
        List<String> problems = new ArrayList<>();
        int sessionsBefore = stripe.requests("POST", "/v1/checkout/sessions").size();
        DatabaseState.Snapshot before = database.snapshot();
        for (String field : List.of("successUrl", "cancelUrl")) {
            for (String url : OpenRedirects.URLS) {
                ObjectNode body = (ObjectNode) parse("{\"amountCents\": 500}");
                body.put(field, url);
                Answer response = wire.json("POST", "/v1/billing/topup", body.toString(), "X-API-Key", a.adminKey());
                problems.addAll(prefixed(field + "=" + url, errorProblems(response, 400, "bad_request", field),
                        response));
            }
        }
        problems.addAll(unchanged(before, "open redirects"));
        int sessionsAfter = stripe.requests("POST", "/v1/checkout/sessions").size();
        if (sessionsAfter != sessionsBefore) {
            problems.add("Stripe was asked for " + (sessionsAfter - sessionsBefore) + " checkout sessions");
        }
        // What the allow-list does allow reaches Stripe as sent, with the session id added.
        for (String allowed : List.of("HTTPS://APP.EXAMPLE.COM/done", "https://app.example.com:443/done?x=1#top",
                "http://localhost:8080/billing")) {
            Answer response = wire.json("POST", "/v1/billing/topup", "{\"amountCents\": 500, \"successUrl\": \""
                    + allowed + "\", \"cancelUrl\": \"" + allowed + "\"}", "X-API-Key", a.adminKey());
            List<io.agentbilling.stripe.fake.RecordedRequest> created = stripe.requests("POST", "/v1/checkout/sessions");
            String successUrl = created.get(created.size() - 1).param("success_url");
            if (response.status() != 200 || !successUrl.startsWith(allowed.replace("#top", ""))
                    || !successUrl.contains("session_id={CHECKOUT_SESSION_ID}")) {
                problems.add(allowed + ": " + Wire.describe(response) + " sent to Stripe as " + successUrl);
            }
        }
        failIfAny(problems);
    }

    @Test
    @Order(4)
    void forged_stale_or_missing_webhook_signatures_change_nothing_and_a_redelivery_changes_nothing() {
        TestOrg payer = app.newOrg("pro");
        Answer topup = wire.json("POST", "/v1/billing/topup", "{\"amountCents\": 3100}", "X-API-Key",
                payer.adminKey());
        String sessionId = parse(topup.body()).path("data").path("sessionId").asText();
        stripe.payCheckout(sessionId);
        String payload = stripe.eventFor("checkout.session.completed", sessionId);
        long now = Instant.now().getEpochSecond();
        String validSignature = StripeEvents.signature(payload, WEBHOOK_SECRET, now);
        Map<String, String[]> forgeries = new java.util.LinkedHashMap<>();
        forgeries.put("no signature", new String[0]);
        forgeries.put("empty signature", new String[] {"Stripe-Signature", ""});
        forgeries.put("garbage", new String[] {"Stripe-Signature", "t=abc,v1=def"});
        forgeries.put("another secret", new String[] {"Stripe-Signature",
                StripeEvents.signatureHeader(payload, "whsec_someone_else")});
        forgeries.put("the secret itself as a signature", new String[] {"Stripe-Signature",
                "t=" + now + ",v1=" + WEBHOOK_SECRET});
        forgeries.put("no timestamp", new String[] {"Stripe-Signature", "v1=" + validSignature});
        forgeries.put("another timestamp", new String[] {"Stripe-Signature", "t=" + (now - 1) + ",v1=" + validSignature});
        forgeries.put("v0 scheme only", new String[] {"Stripe-Signature", "t=" + now + ",v0=" + validSignature});
        forgeries.put("301 seconds old", new String[] {"Stripe-Signature",
                StripeEvents.signatureHeader(payload, WEBHOOK_SECRET, now - 301)});
        forgeries.put("a day old", new String[] {"Stripe-Signature",
                StripeEvents.signatureHeader(payload, WEBHOOK_SECRET, now - 86_400)});
        forgeries.put("huge header", new String[] {"Stripe-Signature", "t=" + now + ",v1=" + "a".repeat(6000)});
        List<String> problems = new ArrayList<>();
        DatabaseState.Snapshot before = database.snapshot();
        for (Map.Entry<String, String[]> forgery : forgeries.entrySet()) {
            Answer response = wire.json("POST", WEBHOOK, payload, forgery.getValue());
            problems.addAll(prefixed(forgery.getKey(), errorProblems(response, 400, "bad_request", null),
                    response));
        }
        String tampered = payload.replace("\"amount_total\":3100", "\"amount_total\":310000");
        assertThat(tampered).isNotEqualTo(payload);
        Answer changed = wire.json("POST", WEBHOOK, tampered, "Stripe-Signature",
                StripeEvents.signatureHeader(payload, WEBHOOK_SECRET));
        problems.addAll(prefixed("a changed body", errorProblems(changed, 400, "bad_request", null), changed));
        Answer asText = wire.send("POST", WEBHOOK, "text/plain", payload.getBytes(UTF_8), "Stripe-Signature",
                StripeEvents.signatureHeader(payload, WEBHOOK_SECRET));
        problems.addAll(prefixed("as text/plain", errorProblems(asText, 415, "unsupported_media_type", null),
                asText));
        problems.addAll(unchanged(before, "refused webhooks"));

        // The refusals used nothing up: the genuine delivery credits once; delivered again, it changes nothing.
        Answer genuine = wire.json("POST", WEBHOOK, payload, "Stripe-Signature",
                StripeEvents.signatureHeader(payload, WEBHOOK_SECRET));
        JsonNode receipt = parse(genuine.body()).path("data");
        if (genuine.status() != 200 || !receipt.path("outcome").asText().equals("processed")) {
            problems.add("the genuine delivery: " + Wire.describe(genuine));
        }
        DatabaseState.Snapshot credited = database.snapshot();
        Answer again = wire.json("POST", WEBHOOK, payload, "Stripe-Signature",
                StripeEvents.signatureHeader(payload, WEBHOOK_SECRET));
        if (again.status() != 200 || !parse(again.body()).path("data").path("outcome").asText().equals("duplicate")) {
            problems.add("the redelivery: " + Wire.describe(again));
        }
        problems.addAll(unchanged(credited, "a redelivered webhook"));
        Answer balance = wire.send("GET", "/v1/billing/credits", null, null, "X-API-Key", payer.memberKey());
        if (parse(balance.body()).path("data").path("balanceCents").asLong() != 3100) {
            problems.add("the payer's balance: " + Wire.describe(balance));
        }
        failIfAny(problems);
    }

    @Test
    @Order(4)
    void malformed_requests_carrying_a_key_are_refused_in_the_envelope_without_echoing_it() {
        String key = a.adminKey();
        List<String> answers = List.of(
                wire.raw("GET /v1/billing/plan HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
                        + "\r\nBroken header line\r\n\r\n"),
                wire.raw("GET /v1/billing/plan HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key + "\r\nX-Pad: "
                        + "p".repeat(20_000) + "\r\nConnection: close\r\n\r\n"),
                wire.raw("GET /v1/billing/plan?apiKey=" + key + "&pad=" + "p".repeat(20_000)
                        + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                wire.raw("GET /v1/billing/plan HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
                        + "\r\nX-API-Key: rt_live_other\r\nConnection: close\r\n\r\n"));
        for (String answer : answers) {
            assertThat(answer).startsWith("HTTP/1.1 4").containsIgnoringCase("content-type: application/json")
                    .contains("\"error\"").doesNotContain(key).doesNotContain("<html");
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void no_key_or_secret_reached_a_log_line_or_an_answer() {
        List<String> problems = new ArrayList<>();
        List<ILoggingEvent> serverEvents = log.events().stream()
                .filter(e -> !e.getLoggerName().startsWith("io.agentbilling.stripe.fake")).toList();
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : serverEvents) {
            text.append(event.getFormattedMessage()).append(' ').append(event.getMDCPropertyMap()).append(' ')
                    .append(event.getKeyValuePairs()).append('\n');
            for (var proxy = event.getThrowableProxy(); proxy != null; proxy = proxy.getCause()) {
                text.append(proxy.getMessage()).append('\n');
            }
        }
        String logged = text.toString();
        assertThat(logged).as("the server logged this suite's requests").contains("route=/v1/billing/plan");
        List<String> answers = wire.answers();
        for (String token : SESSION_TOKENS) {
            if (logged.contains(token)) {
                problems.add("logged a session token: " + token.substring(0, 8) + "…");
            }
            if (answers.stream().filter(answer -> answer.contains(token)).count() > 1) {
                problems.add("a session token appeared in an answer other than its sign-in: " + token.substring(0, 8));
            }
        }
        for (String secret : SECRETS) {
            if (logged.contains(secret)) {
                problems.add("logged: " + secret.substring(0, 10) + "…");
            }
            if (answers.stream().anyMatch(answer -> answer.contains(secret))) {
                problems.add("answered: " + secret.substring(0, 10) + "…");
            }
        }
        failIfAny(problems);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Credentials and expectations

    /** What every member or admin route must answer to each wrong credential. */
    private static List<Refusal> keyRouteRefusals(Route route) {
        String unknown = "rt_live_" + random(24);
        String unknownTest = "rt_test_" + random(24);
        String wrongSecret = "wrong-" + random(16);
        SECRETS.addAll(List.of(unknown, unknownTest, wrongSecret));
        List<Refusal> refusals = new ArrayList<>();
        for (Credential none : List.of(new Credential("no credential"),
                new Credential("a blank X-API-Key", "X-API-Key", "  "),
                new Credential("Basic auth", "Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(("admin:" + a.adminKey()).getBytes(UTF_8))),
                new Credential("Bearer without a token", "Authorization", "Bearer "),
                new Credential("the key without a scheme", "Authorization", a.adminKey()),
                new Credential("the internal secret", SECRET_HEADER, TestApplication.INTERNAL_SECRET),
                new Credential("a wrong internal secret", SECRET_HEADER, wrongSecret))) {
            refusals.add(new Refusal(none, 401, "unauthorized"));
        }
        for (String header : List.of("X-API-Key", "Authorization")) {
            String prefix = header.equals("Authorization") ? "Bearer " : "";
            for (Credential invalid : List.of(
                    new Credential(header + ": a malformed key", header, prefix + "not a key at all"),
                    new Credential(header + ": a bare prefix", header, prefix + "rt_live_"),
                    new Credential(header + ": a key of 600 characters", header, prefix + "rt_live_" + "k".repeat(592)),
                    new Credential(header + ": an unknown key", header, prefix + unknown),
                    new Credential(header + ": an unknown test key", header, prefix + unknownTest),
                    new Credential(header + ": a key with a character changed", header,
                            prefix + a.adminKey().substring(0, a.adminKey().length() - 1)
                                    + (a.adminKey().endsWith("A") ? "B" : "A")),
                    new Credential(header + ": a revoked key", header, prefix + revokedKey),
                    new Credential(header + ": an expired key", header, prefix + expiredKey),
                    new Credential(header + ": the internal secret", header, prefix + TestApplication.INTERNAL_SECRET))) {
                refusals.add(new Refusal(invalid, 401, "invalid_token"));
            }
            if (route.access().equals("admin")) {
                refusals.add(new Refusal(new Credential(header + ": a member's key", header, prefix + a.memberKey()),
                        403, "forbidden"));
                refusals.add(new Refusal(new Credential(header + ": another org's member key", header,
                        prefix + b.memberKey()), 403, "forbidden"));
            }
            if (takesOrgId(route)) {
                refusals.add(new Refusal(new Credential(header + ": another org's admin key", header,
                        prefix + b.adminKey()), 403, "forbidden"));
                refusals.add(new Refusal(new Credential(header + ": another org's member key", header,
                        prefix + b.memberKey()), 403, "forbidden"));
            }
        }
        return refusals;
    }

    /** What every member or admin route must answer to each wrong use of a sign-in session (the cookie). */
    private static List<Refusal> sessionRefusals(Route route) {
        List<Refusal> refusals = new ArrayList<>(endedSessionRefusals());
        if (route.access().equals("admin")) {
            refusals.add(new Refusal(new Credential("a member's session", memberSessionOfA.headers()), 403,
                    "forbidden"));
        }
        if (!route.method().equals("GET")) {
            refusals.add(new Refusal(new Credential("an admin's session without its CSRF token",
                    adminSessionOfA.withoutCsrf()), 403, "forbidden"));
            refusals.add(new Refusal(new Credential("an admin's session with another session's CSRF token",
                    withCsrf(adminSessionOfA, memberSessionOfA.csrf())), 403, "forbidden"));
            refusals.add(new Refusal(new Credential("an admin's session with a CSRF token in the wrong case",
                    withCsrf(adminSessionOfA, adminSessionOfA.csrf().toUpperCase(java.util.Locale.ROOT))), 403,
                    "forbidden"));
        }
        if (takesOrgId(route)) {
            refusals.add(new Refusal(new Credential("another org's admin session", adminSessionOfB.headers()), 403,
                    "forbidden"));
        }
        return refusals;
    }

    /** Sessions that are over, or never were: 401 {@code invalid_token} wherever a session is accepted. */
    private static List<Refusal> endedSessionRefusals() {
        String madeUp = "bs_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                HexFormat.of().parseHex(random(32)));
        List<Refusal> refusals = new ArrayList<>();
        for (Credential ended : List.of(
                new Credential("a signed-out session", endedSession.headers()),
                new Credential("a session of a revoked key", revokedKeySession.headers()),
                new Credential("a session of an expired key", expiredKeySession.headers()),
                new Credential("a made-up session token", "Cookie", "billing_session=" + madeUp, "X-CSRF-Token",
                        "x"),
                new Credential("an API key as the session cookie", "Cookie", "billing_session=" + a.adminKey()),
                new Credential("a malformed session cookie", "Cookie", "billing_session=not%20a%20token"),
                new Credential("a session cookie of 600 characters", "Cookie", "billing_session=bs_"
                        + "k".repeat(597)))) {
            refusals.add(new Refusal(ended, 401, "invalid_token"));
        }
        return refusals;
    }

    private static String[] withCsrf(Wire.SignedIn session, String csrf) {
        return new String[] {"Cookie", "billing_session=" + session.token(), "X-CSRF-Token", csrf};
    }

    private static Wire.SignedIn signIn(String key) {
        Wire.SignedIn session = wire.signIn(key);
        SESSION_TOKENS.add(session.token());
        return session;
    }

    /** What every internal route must answer to anything but a configured secret. */
    private static List<Refusal> internalRouteRefusals() {
        String secret = TestApplication.INTERNAL_SECRET;
        String wrong = "wrong-" + random(16);
        SECRETS.add(wrong);
        List<Refusal> refusals = new ArrayList<>();
        for (Credential none : List.of(new Credential("no credential"),
                new Credential("a blank secret", SECRET_HEADER, " "),
                new Credential("an admin's key", "X-API-Key", a.adminKey()),
                new Credential("an admin's Bearer key", "Authorization", "Bearer " + a.adminKey()),
                new Credential("a revoked key", "X-API-Key", revokedKey),
                new Credential("an expired key", "X-API-Key", expiredKey),
                new Credential("the secret as a Bearer token", "Authorization", "Bearer " + secret),
                new Credential("the secret as an API key", "X-API-Key", secret))) {
            refusals.add(new Refusal(none, 401, "unauthorized"));
        }
        for (Credential invalid : List.of(new Credential("a wrong secret", SECRET_HEADER, wrong),
                new Credential("the secret and one more character", SECRET_HEADER, secret + "x"),
                new Credential("the secret less its last character", SECRET_HEADER,
                        secret.substring(0, secret.length() - 1)),
                new Credential("the secret in upper case", SECRET_HEADER, secret.toUpperCase(java.util.Locale.ROOT)),
                new Credential("a secret of 600 characters", SECRET_HEADER, secret + "s".repeat(600)),
                new Credential("an admin's key as the secret", SECRET_HEADER, a.adminKey()))) {
            refusals.add(new Refusal(invalid, 401, "invalid_token"));
        }
        return refusals;
    }

    private static void refuseAll(Route route, List<Refusal> refusals) {
        List<String> problems = new ArrayList<>();
        DatabaseState.Snapshot before = database.snapshot();
        for (Refusal refusal : refusals) {
            Answer response = send(route, true, refusal.credential().headers());
            List<String> found = new ArrayList<>(errorProblems(response, refusal.status(), refusal.code(), null));
            if (response.body().contains(a.orgId().toString()) || response.body().contains(b.orgId().toString())) {
                found.add("the answer names an org");
            }
            if (refusal.status() == 401 && !route.access().equals("internal") && !route.access().equals("session")
                    && response.header("WWW-Authenticate") == null) {
                found.add("a 401 without WWW-Authenticate");
            }
            problems.addAll(prefixed(route + " with " + refusal.credential(), found, response));
        }
        problems.addAll(unchanged(before, route.key()));
        failIfAny(problems);
    }

    /**
     * The route's request, as valid as the suite can make it for org A: its sample body and path, {@code orgId} of
     * A where the route takes one (when {@code withOrgId}), A's checkout session for the success page.
     */
    private static Answer send(Route route, boolean withOrgId, String... headers) {
        Sample sample = samples.of(route.key()).orElse(null);
        String path = sample != null ? sample.path() : route.path();
        String query = "";
        if (route.path().equals("/v1/billing/success")) {
            query = "?session_id=" + URLEncoder.encode(sessionOfA, UTF_8);
        } else if (withOrgId && route.params("query").stream().anyMatch(p -> p.name().equals("orgId"))) {
            query = "?orgId=" + a.orgId();
        }
        byte[] body = null;
        String type = null;
        if (sample != null && sample.json() != null) {
            ObjectNode json = sample.body("access-" + UUID.randomUUID());
            if (withOrgId && route.fields().stream().anyMatch(f -> f.name().equals("orgId"))) {
                json.put("orgId", a.orgId().toString());
            }
            body = json.toString().getBytes(UTF_8);
            type = "application/json";
        } else if (route.takesJson()) {
            body = "{}".getBytes(UTF_8);
            type = "application/json";
        }
        if (route.path().endsWith("{sandboxId}/start")) {
            path = path.replace("sb-abuse-new", "sb-access-" + UUID.randomUUID());
        }
        return wire.send(route.method(), path + query, type, body, headers);
    }

    private static boolean takesOrgId(Route route) {
        return route.params("query").stream().anyMatch(p -> p.name().equals("orgId"))
                || route.fields().stream().anyMatch(f -> f.name().equals("orgId"));
    }

    private static List<Route> keyRoutes() {
        return api.routes().stream().filter(r -> r.access().equals("member") || r.access().equals("admin")).toList();
    }

    /** Waits until the expiring key is past its expiry (a second or two after start-up). */
    private static void awaitExpiry() {
        long wait = Duration.between(Instant.now(), expiry).toMillis() + 200;
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<String> unchanged(DatabaseState.Snapshot before, String what) {
        List<String> changed = database.snapshot().changedSince(before);
        return changed.isEmpty() ? List.of() : List.of(what + ": refused requests changed the database, in " + changed);
    }

    private static List<String> prefixed(String what, List<String> found, Answer response) {
        return found.isEmpty() ? List.of() : List.of(what + ": " + String.join("; ", found) + " — "
                + Wire.describe(response));
    }

    private static void failIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            Assertions.fail(problems.size() + " problem(s):\n" + String.join("\n", problems));
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value);
        return HexFormat.of().formatHex(value);
    }
}
