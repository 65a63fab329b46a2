package io.agentbilling.http.abuse;

import static io.agentbilling.http.support.Envelopes.envelopeProblems;
import static io.agentbilling.http.support.Envelopes.errorProblems;
import static io.agentbilling.http.support.Envelopes.parse;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.PlaceHold;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import io.agentbilling.http.abuse.ApiDescription.Field;
import io.agentbilling.http.abuse.ApiDescription.Param;
import io.agentbilling.http.abuse.ApiDescription.Route;
import io.agentbilling.http.abuse.RouteSamples.Range;
import io.agentbilling.http.abuse.RouteSamples.Sample;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.http.support.LogCapture;
import java.net.URLEncoder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * Bad input on every route the server registers (read from {@code /openapi.json}): malformed bodies, wrong types,
 * unknown and missing fields, amounts outside their ranges, huge numbers, 1 MB strings, NUL characters, broken
 * query parameters, wrong media types, oversized bodies, wrong methods and unknown paths. Each gets the documented
 * error envelope with the right status and code, never a 500, and the database is byte-for-byte the same afterwards.
 * Where hostile-looking text (SQL, control characters) is valid input it must be stored verbatim and touch nothing
 * but the org it was sent for.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {
    /** One request too large by a byte, and one body with a 1 MB string inside the limit. */
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final String MEGABYTE = "x".repeat(1_000_000);
    private static final String SQL = "x'); DROP TABLE ledger_entries; -- ' OR '1'='1 \"; DELETE FROM accounts; "
            + "/* :orgId <orgId> ${x} %_\\ $$";
    private static final String CONTROL = "tab\t lf\n cr\r bel\u0007 esc\u001b[31m del\u007f ls\u2028 rlo\u202e "
            + "zw\u200b é💸中 \\\\server\\share %s %n";
    /** Fields whose accepted value is not kept in the database (it travels to the payment provider instead). */
    private static final Set<String> NOT_STORED = Set.of("successUrl", "cancelUrl");
    /** Routes whose JSON body the handler reads raw (the webhook verifies the exact bytes) instead of binding it. */
    private static final Set<String> RAW_BODY = Set.of("POST /v1/billing/webhooks/stripe");
    /** Routes where an empty body is valid (it means "now"). */
    private static final Set<String> EMPTY_BODY_ALLOWED =
            Set.of("POST /v1/internal/billing/sandbox-runtime/{sandboxId}/heartbeat");
    /** The settlement routes that a usage batch also takes, by their event type. */
    private static final Map<String, String> BATCH_KINDS = Map.of(
            "POST /v1/internal/billing/model-usage", "model",
            "POST /v1/internal/billing/tool-executions", "tool",
            "POST /v1/internal/billing/storage/usage", "storage",
            "POST /v1/internal/billing/resource-charges", "resource",
            "POST /v1/internal/billing/deductions", "deduction");
    private static final String BATCH = "/v1/internal/billing/usage-events:batch";
    /** Replaced by a new idempotency key each time a case is sent, so no case replays or conflicts with another. */
    private static final String FRESH_KEY = "__FRESH_KEY__";

    private static TestApplication app;
    private static DatabaseState database;
    private static Wire wire;
    private static LogCapture log;
    private static ApiDescription api;
    private static TestOrg org;
    private static RouteSamples samples;

    /** A request and what it must get. */
    private record Case(String name, String method, String path, String contentType, byte[] body, boolean chunked,
                        List<String> headers, Expect expect) {
        Answer send() {
            String[] all = headers.toArray(String[]::new);
            byte[] fresh = body == null ? null : new String(body, UTF_8)
                    .replace(FRESH_KEY, "bad-" + UUID.randomUUID()).getBytes(UTF_8);
            return chunked ? wire.chunked(method, path, contentType, fresh, all)
                    : wire.send(method, path, contentType, fresh, all);
        }

        @Override
        public String toString() {
            return method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path) + " [" + name + "]";
        }
    }

    /**
     * A refusal with this status and code (and {@code field} in the details, when given); or {@code tolerated}:
     * either a refusal (any 4xx, in the envelope, nothing changed) or an acceptance that stores {@code text}
     * verbatim (when given) and changes nothing outside the sample org.
     */
    private record Expect(int status, String code, String field, boolean tolerated, String text, String textField,
                          TestOrg actor) {
        static Expect refused(int status, String code, String field) {
            return new Expect(status, code, field, false, null, null, null);
        }

        static Expect badRequest(String field) {
            return refused(400, "bad_request", field);
        }

        static Expect tolerated(String textField, String text) {
            return new Expect(0, null, null, true, text, textField, null);
        }

        /** Tolerated, for a request acting on {@code actor}'s org (one of its own, so it cannot spoil another case). */
        static Expect toleratedFor(TestOrg actor, String textField) {
            return new Expect(0, null, null, true, null, textField, actor);
        }
    }

    @BeforeAll
    static void start() {
        log = new LogCapture();
        app = new TestApplication(Map.of(ServerConfig.SANDBOX_HEARTBEAT_TIMEOUT_SECONDS, "86400",
                ServerConfig.SANDBOX_GRACE_SECONDS, "604800"));
        wire = new Wire(app);
        database = new DatabaseState(app.database);
        api = ApiDescription.parse(app.get("/openapi.json").body());
        org = olderOrg("free");
        String sandboxId = "sb-abuse-open";
        app.app.billing().startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId(sandboxId).orgId(org.orgId()).memberId(org.member().id()).size("small")
                .startedAt(Instant.now().minus(1, ChronoUnit.HOURS)).idempotencyKey("start-" + sandboxId).build());
        ApiKey key = app.app.billing().createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(org.orgId()).memberId(org.member().id()).name("to revoke").build()).key();
        UUID holdId = app.app.billing().spendControls().placeHold().execute(PlaceHold.Command.builder()
                .orgId(org.orgId()).amountCents(1).ttlSeconds(7 * 24 * 3600).idempotencyKey("sample-hold").build())
                .hold().id().value();
        samples = new RouteSamples(org, sandboxId, key.id().value(), holdId, RouteSamples.webhooks(app, org));
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
            log.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The suites

    @Test
    void every_route_with_a_json_body_or_path_parameters_has_a_valid_sample_that_the_server_accepts() {
        List<String> problems = new ArrayList<>();
        for (Route route : api.routes()) {
            boolean needsSample = (route.takesJson() && !RAW_BODY.contains(route.key()))
                    || (!route.params("path").isEmpty() && !route.access().equals("public_none"));
            if (!needsSample) {
                continue;
            }
            Sample sample = samples.of(route.key()).orElse(null);
            if (sample == null) {
                problems.add(route + ": no sample in RouteSamples; add a valid request so the suite can attack it");
                continue;
            }
            if (route.method().equals("DELETE")) {
                continue; // revoking is checked by the path cases; the sample key stays for them
            }
            Answer response = wire.send(route.method(), sample.path(), sample.json() == null ? null
                    : "application/json", sample.json() == null ? null
                    : sample.body("sample-" + UUID.randomUUID()).toString().getBytes(UTF_8), auth(route));
            if (response.status() / 100 != 2) {
                problems.add(route + ": the sample is refused: " + Wire.describe(response));
            }
        }
        failIfAny(problems);
    }

    @TestFactory
    Stream<DynamicTest> every_json_body_route_refuses_malformed_bodies_media_types_and_oversized_bodies() {
        return api.routes().stream().filter(r -> r.takesJson() || r.takesForm())
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> {
                    runRefused(route, bodyCases(route));
                    declaredTooLarge(route);
                }));
    }

    @TestFactory
    Stream<DynamicTest> every_body_field_refuses_wrong_types_missing_values_bad_ranges_and_huge_strings() {
        return api.routes().stream().filter(r -> r.takesJson() && samples.of(r.key()).isPresent())
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> {
                    runRefused(route, fieldCases(route, samples.of(route.key()).orElseThrow()));
                    runTolerated(route, toleratedFieldCases(route, samples.of(route.key()).orElseThrow()));
                }));
    }

    @TestFactory
    Stream<DynamicTest> every_settlement_kind_refuses_the_same_bad_fields_one_event_at_a_time_in_a_batch() {
        return api.routes().stream().filter(r -> BATCH_KINDS.containsKey(r.key()))
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> runBatched(route)));
    }

    @TestFactory
    Stream<DynamicTest> every_amount_at_its_documented_bounds_is_accepted() {
        return api.routes().stream().filter(r -> samples.of(r.key()).map(s -> !s.ranges().isEmpty()).orElse(false))
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> {
                    Sample sample = samples.of(route.key()).orElseThrow();
                    List<String> problems = new ArrayList<>();
                    for (Range range : sample.ranges()) {
                        for (Long bound : new Long[] {range.min(), range.max()}) {
                            if (bound == null) {
                                continue;
                            }
                            ObjectNode body = sample.body("bound-" + UUID.randomUUID());
                            range.without().forEach(body::remove);
                            body.put(range.field(), bound);
                            Answer response = wire.json(route.method(), freshPath(route, sample), body.toString(),
                                    auth(route));
                            // A hold at a bound may find the org's credit short: 402 insufficient_credit comes
                            // from admission, after every shape rule accepted the amount.
                            boolean admissionRefused = response.status() == 402
                                    && response.body().contains("\"code\":\"insufficient_credit\"");
                            if (response.status() / 100 != 2 && !admissionRefused) {
                                problems.add(range.field() + "=" + bound + ": " + Wire.describe(response));
                            }
                        }
                    }
                    failIfAny(problems);
                }));
    }

    @TestFactory
    Stream<DynamicTest> every_query_and_path_parameter_refuses_malformed_values() {
        return api.routes().stream().filter(r -> !r.params("query").isEmpty() || !r.params("path").isEmpty())
                .filter(r -> !r.access().equals("public_none"))
                .map(route -> DynamicTest.dynamicTest(route.key(), () -> {
                    runRefused(route, parameterCases(route));
                    runTolerated(route, toleratedParameterCases(route));
                }));
    }

    @TestFactory
    Stream<DynamicTest> every_path_answers_other_methods_with_405_and_near_misses_with_404() {
        Set<String> paths = new TreeSet<>();
        api.routes().forEach(r -> paths.add(r.path()));
        return paths.stream().map(path -> DynamicTest.dynamicTest(path, () -> runRefused(null, methodAndPathCases(path))));
    }

    @Test
    void tricky_paths_never_reach_a_route_they_do_not_name() {
        List<String> problems = new ArrayList<>();
        List<String> paths = List.of("/", "//v1/billing/plan", "/v1/billing/plan/..", "/V1/BILLING/PLAN",
                "/v1/billing/%2e%2e/internal/ledger/verify", "/v1/internal/ledger/verify%00",
                "/v1/billing/plan;jsessionid=x", "/v1/billing/plan%2F", "/v1/billing/./plan",
                "/v1/internal/orgs/%2e%2e/orgs", "/v1/billing/plan%20", "/v1/internal/ledger/verify/",
                "/v1/billing/credits%3Fx=1", "/%76%31/internal/ledger/verify");
        DatabaseState.Snapshot before = snapshot();
        for (String path : paths) {
            Answer response = wire.send("GET", path, null, null);
            List<String> found = envelopeProblems(response);
            if (!Set.of(400, 401, 404).contains(response.status())) {
                found.add("status " + response.status() + ", expected 400, 401 or 404");
            }
            if (!found.isEmpty()) {
                problems.add("GET " + path + ": " + String.join("; ", found) + " — " + Wire.describe(response));
            }
        }
        // The local checkout's pages answer HTML by design (their 404 is a page too): never a 500, never internals.
        for (String path : List.of("/checkout/success?session_id=%00", "/checkout/success?session_id=%27%20OR%201%3D1--",
                "/checkout/%27%20OR%201%3D1--", "/checkout/cs_local_" + "A".repeat(300), "/checkout/%00",
                "/checkout/%3Cscript%3E")) {
            Answer response = wire.send("GET", path, null, null);
            if (response.status() >= 500 || response.body().contains("Exception") || response.body().contains("<script>")) {
                problems.add("GET " + path + ": " + Wire.describe(response));
            }
        }
        problems.addAll(unchanged(before, "tricky paths"));
        failIfAny(problems);
    }

    @Test
    void what_jetty_refuses_before_routing_is_answered_with_the_code_of_its_status() {
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
                new String[] {"414", "uri_too_long"});
        cases.put("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
                new String[] {"431", "headers_too_large"});
        cases.put("GET /health HTTP/2.5\r\nHost: localhost\r\n\r\n",
                new String[] {"505", "http_version_not_supported"});
        List<String> problems = new ArrayList<>();
        cases.forEach((request, expected) -> {
            String answer = wire.raw(request);
            if (!answer.startsWith("HTTP/1.1 " + expected[0]) || !answer.contains("\"code\":\"" + expected[1] + "\"")
                    || !answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json")) {
                problems.add(abbreviate(request) + " -> "
                        + answer.replace("\r\n", " | ").substring(0, Math.min(400, answer.length())));
            }
        });
        failIfAny(problems);
    }

    @Test
    void hostile_text_that_is_valid_input_comes_back_through_the_api_exactly_as_sent() {
        Actor actor = freshActor();
        String description = "d " + SQL + " " + CONTROL;
        String reference = "r " + UUID.randomUUID() + " " + CONTROL;
        String resource = "x'); DROP TABLE usage_daily; --\t\u202e💸";
        Answer deduction = wire.json("POST", "/v1/internal/billing/deductions", Json.write(Map.of(
                "orgId", actor.org().orgId().toString(), "amountCents", 3, "resource", resource,
                "description", description, "referenceId", reference, "idempotencyKey", SQL)),
                "X-Internal-Secret", TestApplication.INTERNAL_SECRET);
        assertThat(deduction.status()).as(deduction.body()).isEqualTo(200);

        JsonNode history = parse(wire.send("GET", "/v1/billing/credits/history?type=usage", null, null,
                "X-API-Key", actor.org().adminKey()).body()).path("data");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).path("description").asText()).isEqualTo(description);
        assertThat(history.get(0).path("referenceId").asText()).isEqualTo(reference);
        assertThat(history.get(0).path("resource").asText()).isEqualTo(resource);
        JsonNode usage = parse(wire.send("GET", "/v1/billing/my-usage?all=true", null, null,
                "X-API-Key", actor.org().adminKey()).body()).path("data").path("totals").path("resourceCharges");
        assertThat(usage.findValuesAsText("resource")).containsExactly(resource);

        String keyName = "k'; --\u0007" + "\u202e";
        Answer key = wire.json("POST", "/v1/internal/orgs/" + actor.org().orgId() + "/api-keys", Json.write(Map.of(
                "memberId", actor.org().member().id().toString(), "name", keyName)),
                "X-Internal-Secret", TestApplication.INTERNAL_SECRET);
        assertThat(parse(key.body()).path("data").path("name").asText()).as(key.body()).isEqualTo(keyName);
        String keyId = parse(key.body()).path("data").path("id").asText();
        Answer revoked = wire.send("DELETE", "/v1/internal/orgs/" + actor.org().orgId() + "/api-keys/" + keyId,
                null, null, "X-Internal-Secret", TestApplication.INTERNAL_SECRET);
        assertThat(parse(revoked.body()).path("data").path("name").asText()).isEqualTo(keyName);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void nothing_was_logged_as_an_internal_error_and_no_secret_reached_a_log_or_an_answer() {
        // Runs after (or between) the factories above in the same JVM; each 500 logs "internal error" with its trace.
        List<String> internalErrors = log.events().stream()
                .filter(e -> e.getFormattedMessage().contains(" internal error on "))
                .map(e -> e.getFormattedMessage() + " " + (e.getThrowableProxy() == null ? ""
                        : e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage()))
                .toList();
        assertThat(internalErrors).as("requests answered 500").isEmpty();
        // A value the database refused is a bug, never the caller's fault: it must not reach any answer, whatever
        // status it would have been given.
        assertThat(wire.answers()).as("answers passing on a database refusal")
                .noneMatch(answer -> answer.contains("rejected by the database") || answer.contains("refused a write"));
        Answer verify = wire.send("GET", "/v1/internal/ledger/verify", null, null, "X-Internal-Secret",
                TestApplication.INTERNAL_SECRET);
        assertThat(verify.status()).as(verify.body()).isEqualTo(200);
        assertThat(parse(verify.body()).path("data").path("clean").asBoolean()).as(verify.body()).isTrue();
        String everything = log.everything();
        for (String secret : List.of(TestApplication.INTERNAL_SECRET, org.adminKey(), org.memberKey())) {
            assertThat(everything.contains(secret)).as("a secret in the log").isFalse();
            assertThat(wire.answers().stream().filter(answer -> answer.contains(secret)).count())
                    .as("answers carrying a secret").isZero();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Running cases

    private static void runRefused(Route route, List<Case> cases) {
        DatabaseState.Snapshot before = snapshot();
        List<String> problems = new ArrayList<>();
        for (Case c : cases) {
            Answer response;
            try {
                response = c.send();
            } catch (RuntimeException e) {
                problems.add(c + ": no answer: " + e.getMessage());
                continue;
            }
            Expect expect = c.expect();
            List<String> found = expect.status() == 0 ? nonServerError(response)
                    : errorProblems(response, expect.status(), expect.code(), expect.field());
            report(problems, c, found, response);
        }
        problems.addAll(unchanged(before, route == null ? "these requests" : route.key()));
        failIfAny(problems);
    }

    /** Each case on its own: refused in the envelope with nothing changed, or accepted and stored verbatim. */
    private static void runTolerated(Route route, List<Case> cases) {
        List<String> problems = new ArrayList<>();
        for (Case c : cases) {
            TestOrg actor = c.expect().actor() != null ? c.expect().actor() : org;
            String actorId = actor.orgId().toString();
            List<String> known = database.orgIds();
            DatabaseState.Snapshot before = database.snapshot(actorId, known);
            Answer response = c.send();
            DatabaseState.Snapshot after = database.snapshot(actorId, known);
            List<String> changed = after.changedSince(before);
            if (response.status() / 100 == 2) {
                if (c.expect().text() == null) {
                    Answer again = c.send();
                    List<String> reads = readsStillAnswer(actor);
                    if (again.status() >= 500 || !reads.isEmpty()) {
                        problems.add(c + ": accepted; sent again: " + Wire.describe(again) + "; " + reads);
                    }
                }
                List<String> outside = after.othersChangedSince(before);
                if (!outside.isEmpty()) {
                    problems.add(c + ": accepted, and changed rows of another org in " + outside);
                }
                String text = c.expect().text();
                if (text != null && !changed.isEmpty() && !NOT_STORED.contains(c.expect().textField())
                        && !database.holdsText(actorId, known, text)) {
                    problems.add(c + ": accepted, but the text is not stored verbatim (changed: " + changed + ")");
                }
                JsonNode echoed = parse(response.body()) == null ? null
                        : parse(response.body()).path("data").get(c.expect().textField());
                if (text != null && echoed != null && echoed.isTextual() && !echoed.asText().equals(text)) {
                    problems.add(c + ": accepted, but answered " + c.expect().textField() + " as " + echoed);
                }
            } else {
                List<String> found = new ArrayList<>(nonServerError(response));
                if (response.status() / 100 != 4) {
                    found.add("status " + response.status() + ", expected 2xx or 4xx");
                }
                if (!changed.isEmpty()) {
                    found.add("refused, but the database changed in " + changed);
                }
                report(problems, c, found, response);
            }
        }
        failIfAny(problems);
    }

    private static void report(List<String> problems, Case c, List<String> found, Answer response) {
        if (!found.isEmpty()) {
            problems.add(c + ": " + String.join("; ", found) + " — " + Wire.describe(response));
        }
    }

    private static void failIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            Assertions.fail(problems.size() + " problem(s):\n" + String.join("\n", problems));
        }
    }

    /** A Content-Length past the limit is refused before the body is read, before the credential is looked at. */
    private static void declaredTooLarge(Route route) {
        String type = route.takesJson() ? "application/json" : "application/x-www-form-urlencoded";
        String answer = wire.raw(route.method() + " " + concretePath(route) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: " + type + "\r\nContent-Length: " + (MAX_BODY_BYTES + 1)
                + "\r\nConnection: close\r\n\r\n{}");
        assertThat(answer).as(route.key()).startsWith("HTTP/1.1 413").contains("\"payload_too_large\"")
                .containsIgnoringCase("content-type: application/json");
    }

    /** After a huge value was accepted (twice), every read of the org must still answer. */
    private static List<String> readsStillAnswer(TestOrg actor) {
        List<String> problems = new ArrayList<>();
        for (String path : List.of("/v1/billing/plan", "/v1/billing/credits", "/v1/billing/credits/history?limit=500",
                "/v1/billing/my-usage?period=all_time&all=true", "/v1/billing/my-usage?period=7d")) {
            Answer response = wire.send("GET", path, null, null, "X-API-Key", actor.adminKey());
            if (response.status() != 200) {
                problems.add("then GET " + path + ": " + Wire.describe(response));
            }
        }
        return problems;
    }

    /** A refusal of any status below 500, in the envelope. */
    private static List<String> nonServerError(Answer response) {
        List<String> found = new ArrayList<>();
        if (response.status() >= 500) {
            found.add("status " + response.status());
        }
        if (response.status() >= 400) {
            found.addAll(envelopeProblems(response));
        }
        return found;
    }

    private static List<String> unchanged(DatabaseState.Snapshot before, String what) {
        List<String> changed = snapshot().changedSince(before);
        return changed.isEmpty() ? List.of() : List.of(what + ": refused requests changed the database, in " + changed);
    }

    /** Digests of the whole database, taken in the database: equal exactly when no row changed. */
    private static DatabaseState.Snapshot snapshot() {
        return database.snapshot();
    }

    /** The field cases of a settlement route, each as the only event of a batch: a 200 whose one item is refused. */
    private static void runBatched(Route route) {
        Sample sample = samples.of(route.key()).orElseThrow();
        String kind = BATCH_KINDS.get(route.key());
        DatabaseState.Snapshot before = snapshot();
        List<String> problems = new ArrayList<>();
        for (Case c : fieldCases(route, sample)) {
            if (c.body() == null || c.expect().tolerated() || !c.headers().equals(List.of(auth(route)))) {
                continue;
            }
            String event = new String(c.body(), UTF_8);
            if (!event.startsWith("{")) {
                continue;
            }
            event = event.replace(FRESH_KEY, "batch-" + UUID.randomUUID());
            String batch = "{\"events\": [{\"type\": \"" + kind + "\", " + event.substring(1) + "]}";
            if (event.strip().equals("{}")) {
                batch = "{\"events\": [{\"type\": \"" + kind + "\"}]}";
            }
            Answer response = wire.json("POST", BATCH, batch, "X-Internal-Secret", TestApplication.INTERNAL_SECRET);
            JsonNode item = parse(response.body()) == null ? null : parse(response.body()).path("data").path(0);
            if (response.status() != 200 || item == null) {
                // A 1 MB string inside a batch may still be refused whole; anything else must be one item's refusal.
                if (response.status() / 100 == 4 && envelopeProblems(response).isEmpty()) {
                    continue;
                }
                problems.add(c + " in a batch: " + Wire.describe(response));
                continue;
            }
            Set<String> fields = new LinkedHashSet<>(item.path("error").path("details").findValuesAsText("field"));
            if (item.path("status").asInt() != c.expect().status()
                    || !c.expect().code().equals(item.path("error").path("code").asText())
                    || (c.expect().field() != null && !fields.contains(c.expect().field()))) {
                problems.add(c + " in a batch: item " + item + ", expected " + c.expect());
            }
        }
        problems.addAll(unchanged(before, route.key() + " in a batch"));
        failIfAny(problems);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Generating cases

    private static String[] auth(Route route) {
        return switch (route.access()) {
            case "member", "admin" -> new String[] {"X-API-Key", org.adminKey()};
            case "internal" -> new String[] {"X-Internal-Secret", TestApplication.INTERNAL_SECRET};
            case "session" -> session().headers();
            default -> new String[0];
        };
    }

    private static Wire.SignedIn session;

    /** One sign-in session of the sample org's admin, for the session routes' cases. */
    private static synchronized Wire.SignedIn session() {
        if (session == null) {
            session = wire.signIn(org.adminKey());
        }
        return session;
    }

    private static String concretePath(Route route) {
        return samples.of(route.key()).map(Sample::path).orElseGet(() -> route.path()
                .replace("{orgId}", org.orgId().toString())
                .replace("{keyId}", UUID.randomUUID().toString())
                .replace("{sandboxId}", "sb-abuse-unknown")
                .replace("{sessionId}", "cs_local_AAAAAAAAAAAAAAAAAAAAAAAA")
                .replace("{file}", "no-such-file.js"));
    }

    /** The sample's path, except that a sandbox start gets a sandbox nobody started (so a replay cannot mask it). */
    private static String freshPath(Route route, Sample sample) {
        return route.path().endsWith("{sandboxId}/start")
                ? sample.path().replace("sb-abuse-new", "sb-abuse-" + UUID.randomUUID()) : sample.path();
    }

    private static Case refused(Route route, String name, String path, String contentType, String body,
                                Expect expect, String... extraHeaders) {
        return refusedBytes(route, name, path, contentType, body == null ? null : body.getBytes(UTF_8), expect,
                extraHeaders);
    }

    private static Case refusedBytes(Route route, String name, String path, String contentType, byte[] body,
                                     Expect expect, String... extraHeaders) {
        List<String> headers = new ArrayList<>(List.of(auth(route)));
        headers.addAll(List.of(extraHeaders));
        return new Case(name, route.method(), path, contentType, body, false, headers, expect);
    }

    /** Body-level abuse, the same for every route that takes a body: nothing here needs to know its fields. */
    private static List<Case> bodyCases(Route route) {
        String path = route.path().endsWith("{sandboxId}/start")
                ? concretePath(route).replace("sb-abuse-new", "sb-abuse-never") : concretePath(route);
        boolean raw = RAW_BODY.contains(route.key());
        List<Case> cases = new ArrayList<>();
        String json = "application/json";
        if (route.takesJson()) {
            Expect malformed = raw ? Expect.badRequest(null) : Expect.badRequest("body");
            Map<String, String> broken = new java.util.LinkedHashMap<>();
            broken.put("truncated", "{\"a\": ");
            broken.put("missing value", "{\"a\": }");
            broken.put("single quotes", "{'a': 1}");
            broken.put("trailing comma", "{\"a\": 1,}");
            broken.put("comment", "/* x */ {}");
            broken.put("NaN", "{\"a\": NaN}");
            broken.put("leading zero", "{\"a\": 01}");
            broken.put("duplicate key", "{\"a\": 1, \"a\": 2}");
            broken.put("deep nesting", "[".repeat(100_000) + "]".repeat(100_000));
            broken.put("deep objects", "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000));
            broken.put("long number", "{\"a\": " + "9".repeat(5_000) + "}");
            broken.put("unterminated string", "{\"a\": \"abc}");
            broken.put("bad escape", "{\"a\": \"\\x\"}");
            for (Map.Entry<String, String> b : broken.entrySet()) {
                cases.add(refused(route, b.getKey(), path, json, b.getValue(), malformed));
            }
            // An empty object first: whether binding or the trailing content is refused first, it is a 400.
            cases.add(refused(route, "two documents", path, json, "{}{}", Expect.badRequest(null)));
            cases.add(refused(route, "trailing garbage", path, json, "{} x", Expect.badRequest(null)));
            Expect notObject = raw ? Expect.badRequest(null) : Expect.badRequest("body");
            for (String value : List.of("null", "[]", "[{}]", "\"text\"", "123", "true")) {
                cases.add(refused(route, "not an object: " + value, path, json, value, notObject));
            }
            cases.add(refusedBytes(route, "invalid UTF-8", path, json,
                    new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, Expect.badRequest(null)));
            cases.add(refusedBytes(route, "UTF-16", path, json, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_16),
                    Expect.badRequest(null)));
            if (!EMPTY_BODY_ALLOWED.contains(route.key())) {
                Expect empty = raw ? Expect.badRequest(null) : Expect.badRequest("body");
                cases.add(refused(route, "empty body", path, json, "", empty));
                cases.add(refused(route, "blank body", path, json, " \n\t ", empty));
                cases.add(refused(route, "no body, no type", path, null, null, empty));
            }
            Expect unsupported = Expect.refused(415, "unsupported_media_type", null);
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml",
                    "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1", "application/jsonx",
                    "text/json", "application/json-patch+json", "*/*")) {
                cases.add(refused(route, "type " + type, path, type, "{}", unsupported));
            }
            cases.add(refused(route, "no content type", path, null, "{}", unsupported));
        } else {
            Expect unsupported = Expect.refused(415, "unsupported_media_type", null);
            cases.add(refused(route, "json to a form", path, json, "{}", unsupported));
            cases.add(refused(route, "text to a form", path, "text/plain", "pay", unsupported));
        }
        String type = route.takesJson() ? json : "application/x-www-form-urlencoded";
        byte[] tooLarge = ("{\"a\": \"" + "x".repeat(MAX_BODY_BYTES) + "\"}").getBytes(UTF_8);
        Expect payloadTooLarge = Expect.refused(413, "payload_too_large", null);
        List<String> headers = new ArrayList<>(List.of(auth(route)));
        cases.add(new Case("chunked body over 1 MiB", route.method(), path, type, tooLarge, true, headers,
                payloadTooLarge));
        return cases;
    }

    /** Field-by-field abuse of a route's valid sample, driven by the field types in the OpenAPI schema. */
    private static List<Case> fieldCases(Route route, Sample sample) {
        List<Case> cases = new ArrayList<>();
        String key = FRESH_KEY;
        String path = freshPath(route, sample);
        String json = "application/json";
        ObjectNode base = sample.body(key);

        cases.add(refused(route, "valid body, then another", path, json, base + "{}", Expect.badRequest("body")));
        cases.add(refused(route, "valid body, then garbage", path, json, base + " x", Expect.badRequest("body")));
        cases.add(refused(route, "unknown field", path, json, with(base, "bogusField", "1"),
                Expect.badRequest("bogusField")));
        if (!route.fields().isEmpty()) {
            String name = route.fields().get(0).name();
            String misspelt = name.toUpperCase(java.util.Locale.ROOT);
            cases.add(refused(route, "misspelt field", path, json, with(base, misspelt, "1"),
                    Expect.badRequest(misspelt)));
        }
        cases.add(refused(route, "nested unknown field", path, json, with(base, "extra", "{\"amountCents\": 1}"),
                Expect.badRequest("extra")));
        for (Field field : route.fields()) {
            String f = field.name();
            if (field.required()) {
                ObjectNode without = base.deepCopy();
                without.remove(f);
                cases.add(refused(route, "missing " + f, path, json, without.toString(), Expect.badRequest(f)));
                cases.add(refused(route, f + " null", path, json, with(base, f, "null"), Expect.badRequest(f)));
            }
            for (String value : wrongValues(field)) {
                cases.add(refused(route, f + "=" + abbreviate(value), path, json, with(base, f, value),
                        Expect.badRequest(f)));
            }
        }
        for (Range range : sample.ranges()) {
            ObjectNode ranged = base.deepCopy();
            range.without().forEach(ranged::remove);
            Set<Long> outside = new LinkedHashSet<>();
            if (range.min() != null && range.min() > Long.MIN_VALUE) {
                outside.add(range.min() - 1);
                outside.add(Long.MIN_VALUE);
                if (range.min() >= 0) {
                    outside.add(-1L);
                }
            }
            if (range.max() != null) {
                outside.add(range.max() + 1);
                outside.add(Long.MAX_VALUE);
            }
            for (Long value : outside) {
                cases.add(refused(route, range.field() + "=" + value, path, json,
                        with(ranged, range.field(), Long.toString(value)), Expect.badRequest(range.field())));
            }
        }
        cases.addAll(semanticCases(route, base, path));
        if (route.params().stream().anyMatch(p -> p.in().equals("header") && p.name().equals("Idempotency-Key"))) {
            cases.add(refused(route, "Idempotency-Key of 256 characters", path, json,
                    withoutKey(base), Expect.badRequest("idempotencyKey"), "Idempotency-Key", "k".repeat(256)));
            if (base.has("idempotencyKey")) {
                cases.add(refused(route, "Idempotency-Key differs from the body's", path, json, base.toString(),
                        Expect.badRequest("idempotencyKey"), "Idempotency-Key", "another-" + key));
            }
        }
        return cases;
    }

    /** Refusals that need to know what a route means, beyond its field types. */
    private static List<Case> semanticCases(Route route, ObjectNode base, String path) {
        List<Case> cases = new ArrayList<>();
        String json = "application/json";
        String unknownOrg = "00000000-0000-4000-8000-000000000000";
        TestOrg other = otherOrg();
        if (base.has("orgId") && route.access().equals("internal")) {
            cases.add(refused(route, "unknown org", path, json, with(base, "orgId", "\"" + unknownOrg + "\""),
                    Expect.refused(404, "not_found", null)));
        }
        if (base.has("orgId") && !route.access().equals("internal")) {
            cases.add(refused(route, "another org", path, json, with(base, "orgId", "\"" + other.orgId() + "\""),
                    Expect.refused(403, "forbidden", null)));
        }
        if (base.has("memberId") && route.access().equals("internal")) {
            cases.add(refused(route, "a member of another org", path, json,
                    with(base, "memberId", "\"" + other.member().id() + "\""), Expect.refused(422, "unprocessable", null)));
        }
        String future = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        String past = Instant.now().minus(1, ChronoUnit.HOURS).toString();
        for (String field : List.of("occurredAt", "startedAt", "at", "to")) {
            if (base.has(field)) {
                cases.add(refused(route, field + " in the future", path, json, with(base, field, "\"" + future + "\""),
                        Expect.refused(422, "unprocessable", field)));
            }
        }
        if (base.has("expiresAt")) {
            cases.add(refused(route, "expiresAt in the past", path, json, with(base, "expiresAt", "\"" + past + "\""),
                    Expect.badRequest("expiresAt")));
        }
        if (base.has("from") && base.has("to")) {
            cases.add(refused(route, "from after to", path, json,
                    with(base, "from", "\"" + base.path("to").asText() + "\""), Expect.badRequest("to")));
        }
        if (base.has("amountCents") && route.key().endsWith("/deductions")) {
            cases.add(refused(route, "both amounts", path, json, with(base, "amountMicros", "1"),
                    Expect.badRequest("amountMicros")));
        }
        if (route.key().endsWith("/adjustments")) {
            cases.add(refused(route, "amountCents=0", path, json, with(base, "amountCents", "0"),
                    Expect.badRequest("amountCents")));
        }
        if (base.has("model")) {
            cases.add(refused(route, "unknown model", path, json, with(base, "model", "\"gpt-0-nonexistent\""),
                    Expect.refused(422, "unknown_model", null)));
        }
        if (route.key().equals("PUT /v1/billing/auto-topup")) {
            cases.add(refused(route, "enable without a card", path, json, with(base, "enabled", "true"),
                    Expect.refused(422, "payment_method_required", null)));
        }
        for (String field : List.of("successUrl", "cancelUrl")) {
            if (base.has(field)) {
                for (String url : OpenRedirects.URLS) {
                    cases.add(refused(route, field + "=" + url, path, json, with(base, field, Json.write(url)),
                            Expect.badRequest(field)));
                }
            }
        }
        if (base.has("events")) {
            // 1001 elements of the sample's own kind (a valid one where it is text), so that the bound is what
            // refuses them, not the elements' type.
            JsonNode first = base.path("events").path(0);
            String element = first.isTextual() ? first.toString() : "{}";
            StringBuilder many = new StringBuilder("[");
            for (int i = 0; i <= 1000; i++) {
                many.append(i == 0 ? "" : ",").append(element);
            }
            cases.add(refused(route, "1001 events", path, json, with(base, "events", many + "]"),
                    Expect.badRequest("events")));
            cases.add(refused(route, "no events", path, json, with(base, "events", "[]"), Expect.badRequest("events")));
        }
        return cases;
    }

    /** Values of the wrong type or shape for a field, by its schema; each must be refused naming the field. */
    private static List<String> wrongValues(Field field) {
        List<String> values = new ArrayList<>();
        if (field.is("integer")) {
            values.addAll(List.of("\"12\"", "12.5", "1.0", "1e3", "true", "{}", "9223372036854775808",
                    "-9223372036854775809", "1e400"));
        } else if (field.is("boolean")) {
            values.addAll(List.of("\"true\"", "1", "0", "\"yes\"", "[]", "{}"));
        } else if (field.is("array")) {
            values.addAll(List.of("{}", "\"x\"", "1", "true"));
        } else if (field.is("object")) {
            values.addAll(List.of("[]", "\"x\"", "1", "true"));
        } else if (field.is("string")) {
            values.addAll(List.of("12", "true", "[\"x\"]"));
            values.add(Json.write(MEGABYTE));
            values.add("\"nul\\u0000inside\"");
            values.add("\"lone \\ud800 surrogate\"");
            if ("uuid".equals(field.format())) {
                values.addAll(List.of("\"not-a-uuid\"", "\"\"", "\"1-1-1-1-1\"", "\"' OR '1'='1\""));
            }
            if ("date-time".equals(field.format())) {
                values.addAll(List.of("\"yesterday\"", "\"2026-02-30T00:00:00Z\"", "\"2026-11-27\"",
                        "\"2026-11-27T10:31:00\"", "1700000000", "\"+1000000000-01-01T00:00:00Z\"",
                        "\"-999999999-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\""));
            }
        }
        return values;
    }

    /** Hostile-looking but well-formed text in every string field: refused, or stored exactly as sent. */
    private static List<Case> toleratedFieldCases(Route route, Sample sample) {
        List<Case> cases = new ArrayList<>();
        for (Field field : route.fields()) {
            if (!field.is("string") || field.format() != null) {
                continue;
            }
            for (String hostile : List.of(SQL, CONTROL)) {
                String text = UUID.randomUUID().toString().substring(0, 8) + " " + hostile;
                ObjectNode body = sample.body("tol-" + UUID.randomUUID());
                body.put(field.name(), text);
                String value = body.path(field.name()).asText();
                List<String> headers = new ArrayList<>(List.of(auth(route)));
                cases.add(new Case(field.name() + " with " + abbreviate(text), route.method(), freshPath(route, sample),
                        "application/json", body.toString().getBytes(UTF_8), false, headers,
                        Expect.tolerated(field.name(), value)));
            }
        }
        // The ends of the timestamps a request may write: refused naming the field (year 0000 is no year the
        // database has; 9999 at the nanosecond is past its microseconds) or accepted, never a database error.
        for (Field field : route.fields()) {
            if (field.is("string") && "date-time".equals(field.format())) {
                for (String edge : List.of("0000-06-01T00:00:00Z", "0000-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999999999Z", "0001-01-01T00:00:00Z")) {
                    Actor actor = freshActor();
                    Sample own = actor.samples().of(route.key()).orElseThrow();
                    ObjectNode body = own.body(FRESH_KEY);
                    body.put(field.name(), edge);
                    cases.add(new Case(field.name() + "=" + edge, route.method(), freshPath(route, own),
                            "application/json", body.toString().getBytes(UTF_8), false, List.of(auth(route)),
                            Expect.toleratedFor(actor.org(), field.name())));
                }
            }
        }
        // Huge counts without a documented bound: each case on an org of its own, sent twice, then every read of
        // that org must still answer (an accepted count must not break a report later).
        for (Range range : sample.ranges()) {
            if (range.max() == null) {
                for (long huge : new long[] {Long.MAX_VALUE, Long.MAX_VALUE / 1_000_000, 1_000_000_000_000_000L}) {
                    Actor actor = freshActor();
                    Sample own = actor.samples().of(route.key()).orElseThrow();
                    ObjectNode body = own.body(FRESH_KEY);
                    range.without().forEach(body::remove);
                    body.put(range.field(), huge);
                    cases.add(new Case(range.field() + "=" + huge, route.method(), freshPath(route, own),
                            "application/json", body.toString().getBytes(UTF_8), false, List.of(auth(route)),
                            Expect.toleratedFor(actor.org(), range.field())));
                }
            }
        }
        if (sample.json() != null && sample.json().contains("\"byok\"")) {
            for (long huge : new long[] {Long.MAX_VALUE, 5L * 1_000_000_000_000_000_000L, 1_000_000_000_000L}) {
                Actor actor = freshActor();
                ObjectNode body = actor.samples().of(route.key()).orElseThrow().body(FRESH_KEY);
                body.put("byok", true).put("inputTokens", huge).put("outputTokens", huge).put("cachedInputTokens", huge);
                cases.add(new Case("BYOK with every token count " + huge, route.method(), freshPath(route, sample),
                        "application/json", body.toString().getBytes(UTF_8), false, List.of(auth(route)),
                        Expect.toleratedFor(actor.org(), "inputTokens")));
            }
        }
        if (route.path().contains("{sandboxId}")) {
            for (String id : List.of(SQL, "sb ' OR 1=1 --", "sb\u202e\u200b💸")) {
                ObjectNode body = sample.body("tol-" + UUID.randomUUID());
                String path = route.path().replace("{sandboxId}", URLEncoder.encode(id, UTF_8).replace("+", "%20"));
                cases.add(new Case("sandboxId " + abbreviate(id), route.method(), path, "application/json",
                        body.toString().getBytes(UTF_8), false, List.of(auth(route)), Expect.tolerated("sandboxId", id)));
            }
        }
        return cases;
    }

    /** Query and path parameters: every malformed value is a 400 naming the parameter; repeats too. */
    private static List<Case> parameterCases(Route route) {
        List<Case> cases = new ArrayList<>();
        Sample sample = samples.of(route.key()).orElse(null);
        String basePath = sample != null ? freshPath(route, sample) : concretePath(route);
        String body = sample == null || sample.json() == null ? null : sample.body("param-" + UUID.randomUUID()).toString();
        String type = body == null ? null : "application/json";
        for (Param param : route.params("query")) {
            String p = param.name();
            for (String value : badQueryValues(route, param)) {
                cases.add(refused(route, p + "=" + abbreviate(value), basePath + "?" + p + "=" + value, type, body,
                        Expect.badRequest(p)));
            }
            String valid = validQueryValue(param);
            cases.add(refused(route, p + " twice", basePath + "?" + p + "=" + valid + "&" + p + "=" + valid, type,
                    body, Expect.badRequest(p)));
        }
        for (Param param : route.params("path")) {
            String name = param.name();
            String template = route.path();
            for (Param other : route.params("path")) {
                if (!other.name().equals(name)) {
                    template = template.replace("{" + other.name() + "}", segmentOf(basePath, route.path(), other.name()));
                }
            }
            if ("uuid".equals(param.format())) {
                for (String value : List.of("not-a-uuid", "1-1-1-1-1", "%27%20OR%20%271%27%3D%271",
                        "00000000-0000-0000-0000-00000000000g")) {
                    cases.add(refused(route, name + "=" + value, template.replace("{" + name + "}", value), type, body,
                            Expect.badRequest(name)));
                }
                cases.add(refused(route, name + "=%00", template.replace("{" + name + "}", "%00"), type, body,
                        Expect.badRequest(null)));
                cases.add(refused(route, name + " unknown", template.replace("{" + name + "}",
                        "00000000-0000-4000-8000-000000000000"), type, body, Expect.refused(404, "not_found", null)));
            } else {
                cases.add(refused(route, name + " of 201 characters", template.replace("{" + name + "}",
                        "s".repeat(201)), type, body, Expect.badRequest(name)));
                cases.add(refused(route, name + " with NUL", template.replace("{" + name + "}", "sb%00x"), type, body,
                        Expect.badRequest(null)));
                if (!route.path().endsWith("/start")) {
                    cases.add(refused(route, name + " unknown", template.replace("{" + name + "}", "sb-never-started"),
                            type, body, Expect.refused(404, "not_found", null)));
                }
            }
        }
        return cases;
    }

    /** Query values that are well-formed text and must not break anything (unknown session ids and the like). */
    private static List<Case> toleratedParameterCases(Route route) {
        List<Case> cases = new ArrayList<>();
        for (Param param : route.params("query")) {
            if ("date-time".equals(param.format())) {
                for (String edge : List.of("0000-01-01T00:00:00Z", "0000-06-01T00:00:00Z",
                        "9999-12-31T23:59:59.999999999Z")) {
                    String path = concretePath(route) + "?" + param.name() + "=" + URLEncoder.encode(edge, UTF_8);
                    cases.add(new Case(param.name() + "=" + edge, route.method(), path, null, null, false,
                            List.of(auth(route)), Expect.tolerated(param.name(), null)));
                }
            }
        }
        for (Param param : route.params("query")) {
            if (!param.type().equals("string") || param.format() != null || param.name().equals("cursor")
                    || param.name().equals("type") || param.name().equals("period")) {
                continue;
            }
            for (String text : List.of(SQL, CONTROL, "cs_test_%'--")) {
                String path = concretePath(route) + "?" + param.name() + "=" + URLEncoder.encode(text, UTF_8);
                cases.add(new Case(param.name() + " with " + abbreviate(text), route.method(), path, null, null, false,
                        List.of(auth(route)), Expect.tolerated(param.name(), text)));
            }
        }
        return cases;
    }

    private static List<String> badQueryValues(Route route, Param param) {
        List<String> values = new ArrayList<>(List.of("%00"));
        switch (param.type()) {
            case "integer" -> values.addAll(List.of("abc", "2.5", "1e2", "%201", "0x10", "99999999999999999999",
                    "-9223372036854775809", "0", "501", "-1"));
            case "boolean" -> values.addAll(List.of("yes", "1", "TRUE", "on"));
            default -> {
                if ("uuid".equals(param.format())) {
                    values.addAll(List.of("not-a-uuid", "1-1-1-1-1", "%27%20OR%20%271%27%3D%271"));
                } else if ("date-time".equals(param.format())) {
                    values.addAll(List.of("yesterday", "2026-13-01T00:00:00Z", "2026-11-27", "1700000000",
                            "2026-11-27T10:31:00", "%2B1000000000-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z"));
                } else {
                    switch (param.name()) {
                        case "period" -> values.addAll(List.of("month", "CURRENT", "7D", "all_time%27--", "30d%20"));
                        case "type" -> values.addAll(List.of("USAGE", "usage,", ",", "bogus", "usage%3BDROP"));
                        case "cursor" -> values.addAll(List.of("abc", "x".repeat(2000), "%27%20OR%201%3D1--",
                                "eyJzZXEiOjF9"));
                        case "session_id", "sessionId" -> values.add("s".repeat(256));
                        default -> values.add("x".repeat(10_000));
                    }
                }
            }
        }
        if (!param.type().equals("integer") || !param.name().equals("limit")) {
            values.removeIf(v -> List.of("0", "501", "-1").contains(v) && !param.name().equals("limit"));
        }
        return values;
    }

    private static String validQueryValue(Param param) {
        return switch (param.type()) {
            case "integer" -> "10";
            case "boolean" -> "false";
            default -> "uuid".equals(param.format()) ? org.orgId().toString()
                    : "date-time".equals(param.format()) ? "2026-01-01T00:00:00Z"
                    : param.name().equals("period") ? "current"
                    : param.name().equals("type") ? "usage" : "x";
        };
    }

    /** Wrong methods on a path (405 with Allow) and paths next to it (404, before any credential check). */
    private static List<Case> methodAndPathCases(String path) {
        Set<String> registered = api.methodsAt(path);
        Route any = api.routes().stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
        String concrete = concretePath(any);
        List<Case> cases = new ArrayList<>();
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")) {
            if (registered.contains(method)) {
                continue;
            }
            byte[] body = Set.of("POST", "PUT", "PATCH").contains(method) ? "{}".getBytes(UTF_8) : null;
            cases.add(new Case("method", method, concrete, body == null ? null : "application/json", body, false,
                    List.of(auth(any)), Expect.refused(405, "method_not_allowed", null)));
        }
        for (String near : List.of(concrete + "/nope", concrete + "nope", concrete.replaceFirst("/v1/", "/v2/"))) {
            if (api.routes().stream().noneMatch(r -> matches(r.path(), near))) {
                cases.add(new Case("near miss", any.method(), near, null, null, false, List.of(),
                        Expect.refused(404, "not_found", null)));
            }
        }
        return cases;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Small helpers

    /** An org of its own, with an open sandbox and a key to revoke, and the samples acting on it. */
    private record Actor(TestOrg org, RouteSamples samples) {}

    private static Actor freshActor() {
        TestOrg own = olderOrg("free");
        String sandboxId = "sb-open-" + UUID.randomUUID();
        app.app.billing().startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId(sandboxId).orgId(own.orgId()).memberId(own.member().id()).size("small")
                .startedAt(Instant.now().minus(1, ChronoUnit.HOURS)).idempotencyKey("start-" + sandboxId).build());
        ApiKey key = app.app.billing().createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(own.orgId()).memberId(own.member().id()).name("to revoke").build()).key();
        UUID holdId = app.app.billing().spendControls().placeHold().execute(PlaceHold.Command.builder()
                .orgId(own.orgId()).amountCents(1).ttlSeconds(7 * 24 * 3600).idempotencyKey("sample-hold").build())
                .hold().id().value();
        return new Actor(own, new RouteSamples(own, sandboxId, key.id().value(), holdId, RouteSamples.Webhooks.none()));
    }

    private static TestOrg otherOrg;

    /** An org created a day ago: the samples report usage of the last hour, which may not precede the org. */
    private static TestOrg olderOrg(String plan) {
        TestOrg created = app.newOrg(plan);
        app.backdate(created.orgId(), java.time.Duration.ofDays(1));
        return created;
    }

    private static synchronized TestOrg otherOrg() {
        if (otherOrg == null) {
            otherOrg = olderOrg("pro");
        }
        return otherOrg;
    }

    /** Whether a route template such as {@code /checkout/{sessionId}} matches a concrete path. */
    private static boolean matches(String template, String path) {
        String regex = java.util.regex.Pattern.quote(template).replaceAll("\\{[A-Za-z]+}", "\\\\E[^/]+\\\\Q");
        return path.matches(regex);
    }

    /** The value of path parameter {@code name} in {@code concrete}, matched against {@code template}. */
    private static String segmentOf(String concrete, String template, String name) {
        String[] values = concrete.split("/");
        String[] names = template.split("/");
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].equals("{" + name + "}")) {
                return values[i];
            }
        }
        throw new IllegalArgumentException(name + " not in " + template);
    }

    /** {@code base} with {@code field} set to the raw JSON {@code value} (which may be no valid JSON value at all). */
    private static String with(ObjectNode base, String field, String rawValue) {
        ObjectNode copy = base.deepCopy();
        String marker = "__RAW_" + UUID.randomUUID() + "__";
        copy.set(field, TextNode.valueOf(marker));
        return copy.toString().replace("\"" + marker + "\"", rawValue);
    }

    private static String withoutKey(ObjectNode base) {
        ObjectNode copy = base.deepCopy();
        copy.remove("idempotencyKey");
        return copy.toString();
    }

    private static String abbreviate(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…(" + value.length() + ")" : value;
        StringBuilder printable = new StringBuilder();
        shown.codePoints().forEach(c -> printable.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return printable.toString();
    }
}
