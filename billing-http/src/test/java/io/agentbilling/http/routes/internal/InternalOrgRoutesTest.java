package io.agentbilling.http.routes.internal;

import static io.agentbilling.http.support.TestClient.INTERNAL_SECRET_HEADER;
import static io.agentbilling.http.support.Envelopes.errorNaming;
import static io.agentbilling.http.support.Envelopes.assertFirstTime;
import static io.agentbilling.http.support.Envelopes.assertReplayed;
import static io.agentbilling.http.routes.internal.InternalApi.balance;
import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.fields;
import static io.agentbilling.http.routes.internal.InternalApi.key;
import static io.agentbilling.http.routes.internal.InternalApi.obj;
import static io.agentbilling.http.routes.internal.InternalApi.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.money.Credits;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /v1/internal/orgs/…} and {@code /v1/internal/ledger/verify} over real HTTP, on PostgreSQL. */
class InternalOrgRoutesTest {
    private static TestApplication app;

    @BeforeAll
    static void start() {
        app = new TestApplication();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Answer post(String path, String json, String... headers) {
        return app.internalPost(path, json, headers);
    }

    private static Answer delete(String path) {
        return app.delete(path, INTERNAL_SECRET_HEADER, TestApplication.INTERNAL_SECRET);
    }

    private static OrgId createOrg(String json) {
        return OrgId.of(data(post("/v1/internal/orgs", json), 201).path("id").asText());
    }

    // ---- orgs ----

    @Test
    void creating_an_org_answers_201_with_the_org_its_plan_and_its_signup_grant() {
        Answer response = post("/v1/internal/orgs", obj("name", "  Acme  "));
        assertFirstTime(response, 201);
        JsonNode org = data(response, 201);
        assertThat(fields(org)).containsExactly("id", "name", "plan", "createdAt", "balanceCents",
                "signupGrantCents", "replayed");
        OrgId id = OrgId.of(org.path("id").asText());
        assertThat(org.path("name").asText()).isEqualTo("Acme");
        assertThat(org.path("plan").asText()).isEqualTo("free");
        assertThat(Instant.parse(org.path("createdAt").asText())).isCloseTo(Instant.now(), within());
        assertThat(org.path("balanceCents").asLong()).isEqualTo(500);
        assertThat(org.path("signupGrantCents").asLong()).isEqualTo(500);
        assertThat(org.path("replayed").asBoolean()).isFalse();
        assertThat(balance(app, id)).isEqualTo(Credits.ofCents(500));
        assertThat(app.app.billing().getCreditHistory().forOrg(id).entries().get(0).type().wireName())
                .isEqualTo("signup_grant");
    }

    @Test
    void the_plan_and_the_signup_grant_can_be_chosen() {
        JsonNode pro = data(post("/v1/internal/orgs", obj("name", "Pro org", "plan", "pro", "signupGrantCents", 1234)),
                201);
        assertThat(pro.path("plan").asText()).isEqualTo("pro");
        assertThat(pro.path("signupGrantCents").asLong()).isEqualTo(1234);
        assertThat(pro.path("balanceCents").asLong()).isEqualTo(1234);
        JsonNode none = data(post("/v1/internal/orgs", obj("name", "No grant", "signupGrantCents", 0)), 201);
        assertThat(none.path("signupGrantCents").asLong()).isZero();
        assertThat(none.path("balanceCents").asLong()).isZero();
    }

    @Test
    void an_org_creation_with_a_key_replays_and_a_changed_payload_conflicts() {
        String key = key();
        Answer first = post("/v1/internal/orgs", obj("name", "Once", "idempotencyKey", key));
        assertFirstTime(first, 201);
        Answer again = post("/v1/internal/orgs", obj("name", "Once", "idempotencyKey", key));
        assertReplayed(again);
        assertThat(data(again, 200).path("id").asText()).isEqualTo(data(first, 201).path("id").asText());
        assertThat(data(again, 200).path("replayed").asBoolean()).isTrue();
        // the header is the same key as the body field
        assertReplayed(post("/v1/internal/orgs", obj("name", "Once"), "Idempotency-Key", key));
        errorNaming(post("/v1/internal/orgs", obj("name", "Twice", "idempotencyKey", key)), 409,
                "idempotency_conflict");
        errorNaming(post("/v1/internal/orgs", obj("name", "Once", "idempotencyKey", key), "Idempotency-Key", "other"),
                400, "bad_request", "idempotencyKey");
        // without a key, two creations are two orgs
        assertThat(createOrg(obj("name", "Twin"))).isNotEqualTo(createOrg(obj("name", "Twin")));
    }

    @Test
    void an_invalid_org_creation_is_400_naming_the_field() {
        errorNaming(post("/v1/internal/orgs", "{}"), 400, "bad_request", "name");
        errorNaming(post("/v1/internal/orgs", obj("name", " ")), 400, "bad_request", "name");
        errorNaming(post("/v1/internal/orgs", obj("name", "x".repeat(201))), 400, "bad_request", "name");
        errorNaming(post("/v1/internal/orgs", obj("name", "A", "plan", "platinum")), 400, "bad_request", "plan");
        errorNaming(post("/v1/internal/orgs", obj("name", "A", "signupGrantCents", -1)), 400, "bad_request",
                "signupGrantCents");
        errorNaming(post("/v1/internal/orgs", obj("name", "A", "signupGrantCents", raw("1.5"))), 400, "bad_request",
                "signupGrantCents");
        errorNaming(post("/v1/internal/orgs", obj("name", "A", "signupGrantCents", "5")), 400, "bad_request",
                "signupGrantCents");
        errorNaming(post("/v1/internal/orgs", obj("name", "A", "signupGrantCents", 100_000_000_001L)), 400,
                "bad_request", "signupGrantCents");
        errorNaming(post("/v1/internal/orgs", obj("name", "A", "signupGrantCents", raw("1" + "0".repeat(25)))), 400,
                "bad_request", "signupGrantCents");
        errorNaming(post("/v1/internal/orgs", obj("name", "A", "nmae", "typo")), 400, "bad_request", "nmae");
        errorNaming(post("/v1/internal/orgs", "[]"), 400, "bad_request", "body");
        errorNaming(app.send(java.net.http.HttpRequest.newBuilder(app.uri("/v1/internal/orgs"))
                .header("Content-Type", "text/plain").header(INTERNAL_SECRET_HEADER, TestApplication.INTERNAL_SECRET)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(obj("name", "A")))), 415,
                "unsupported_media_type");
    }

    // ---- members ----

    @Test
    void adding_a_member_answers_201_with_the_member() {
        OrgId org = createOrg(obj("name", "Members"));
        Answer response = post("/v1/internal/orgs/" + org + "/members", obj("email", "ann@example.com",
                "role", "admin"));
        JsonNode member = data(response, 201);
        assertThat(fields(member)).containsExactly("id", "orgId", "email", "role", "createdAt", "replayed");
        assertThat(member.path("replayed").asBoolean()).isFalse();
        assertThat(member.path("orgId").asText()).isEqualTo(org.toString());
        assertThat(member.path("email").asText()).isEqualTo("ann@example.com");
        assertThat(member.path("role").asText()).isEqualTo("admin");
        assertThat(UUID.fromString(member.path("id").asText())).isNotNull();
        assertThat(Instant.parse(member.path("createdAt").asText())).isCloseTo(Instant.now(), within());

        JsonNode anonymous = data(post("/v1/internal/orgs/" + org + "/members", obj("role", "member")), 201);
        assertThat(anonymous.path("email").isNull()).isTrue();
        assertThat(anonymous.path("role").asText()).isEqualTo("member");
    }

    @Test
    void adding_a_member_with_a_key_replays_and_a_changed_payload_conflicts() {
        OrgId org = createOrg(obj("name", "Provisioned"));
        String path = "/v1/internal/orgs/" + org + "/members";
        String key = key();
        Answer first = post(path, obj("email", "ann@example.com", "role", "member", "idempotencyKey", key));
        assertFirstTime(first, 201);
        Answer again = post(path, obj("email", "ann@example.com", "role", "member", "idempotencyKey", key));
        assertReplayed(again);
        assertThat(data(again, 200).path("id").asText()).isEqualTo(data(first, 201).path("id").asText());
        assertThat(data(again, 200).path("replayed").asBoolean()).isTrue();
        assertReplayed(post(path, obj("email", "ann@example.com", "role", "member"), "Idempotency-Key", key));
        errorNaming(post(path, obj("email", "ann@example.com", "role", "admin", "idempotencyKey", key)), 409,
                "idempotency_conflict");
        errorNaming(post(path, obj("role", "member", "idempotencyKey", "k".repeat(256))), 400, "bad_request",
                "idempotencyKey");
        // without a key, two calls are two members
        assertThat(data(post(path, obj("role", "member")), 201).path("id").asText())
                .isNotEqualTo(data(post(path, obj("role", "member")), 201).path("id").asText());
    }

    @Test
    void an_invalid_member_is_400_and_an_unknown_org_404() {
        OrgId org = createOrg(obj("name", "Members"));
        String path = "/v1/internal/orgs/" + org + "/members";
        errorNaming(post(path, "{}"), 400, "bad_request", "role");
        errorNaming(post(path, obj("role", "owner")), 400, "bad_request", "role");
        errorNaming(post(path, obj("role", "ADMIN")), 400, "bad_request", "role");
        errorNaming(post(path, obj("role", "member", "email", "not-an-email")), 400, "bad_request", "email");
        errorNaming(post(path, obj("role", "member", "orgId", org.toString())), 400, "bad_request", "orgId");
        errorNaming(post("/v1/internal/orgs/" + UUID.randomUUID() + "/members", obj("role", "member")), 404,
                "not_found");
        errorNaming(post("/v1/internal/orgs/not-a-uuid/members", obj("role", "member")), 400, "bad_request",
                "orgId");
    }

    // ---- API keys ----

    @Test
    void org_then_member_then_key_and_the_key_authenticates_as_that_member() {
        OrgId org = createOrg(obj("name", "Keys"));
        String memberId = data(post("/v1/internal/orgs/" + org + "/members", obj("role", "member")), 201)
                .path("id").asText();
        Instant expiresAt = Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Answer response = post("/v1/internal/orgs/" + org + "/api-keys", obj("memberId", memberId,
                "name", "ci key", "expiresAt", expiresAt.toString()));
        JsonNode created = data(response, 201);
        assertThat(fields(created)).containsExactly("id", "key", "displayPrefix", "orgId", "memberId", "name", "test",
                "createdAt", "expiresAt");
        String plainKey = created.path("key").asText();
        assertThat(plainKey).startsWith("rt_live_").hasSize(51);
        assertThat(plainKey).startsWith(created.path("displayPrefix").asText());
        assertThat(created.path("orgId").asText()).isEqualTo(org.toString());
        assertThat(created.path("memberId").asText()).isEqualTo(memberId);
        assertThat(created.path("name").asText()).isEqualTo("ci key");
        assertThat(created.path("test").asBoolean()).isFalse();
        assertThat(Instant.parse(created.path("expiresAt").asText())).isEqualTo(expiresAt);

        Optional<Caller> caller = app.app.billing().authenticateApiKey().execute(plainKey);
        assertThat(caller).isPresent();
        assertThat(caller.get().orgId()).isEqualTo(org);
        assertThat(caller.get().memberId().toString()).isEqualTo(memberId);
        assertThat(caller.get().role()).isEqualTo(Role.MEMBER);
        Answer credits = app.get("/v1/billing/credits", "X-API-Key", plainKey);
        if (credits.status() != 404) { // the public route is written on another branch
            assertThat(credits.status()).as(credits.body()).isEqualTo(200);
            assertThat(data(credits, 200).path("balanceCents").asLong()).isEqualTo(500);
        }

        JsonNode test = data(post("/v1/internal/orgs/" + org + "/api-keys", obj("memberId", memberId,
                "name", "sandbox", "test", true)), 201);
        assertThat(test.path("key").asText()).startsWith("rt_test_");
        assertThat(test.path("test").asBoolean()).isTrue();
        assertThat(test.path("expiresAt").isNull()).isTrue();
    }

    @Test
    void a_key_needs_a_member_of_the_org_a_name_and_a_future_expiry() {
        TestOrg org = app.newOrg("free");
        TestOrg other = app.newOrg("free");
        String path = "/v1/internal/orgs/" + org.orgId() + "/api-keys";
        String member = org.member().id().toString();
        errorNaming(post(path, obj("memberId", other.member().id().toString(), "name", "k")), 422, "unprocessable");
        errorNaming(post(path, obj("memberId", UUID.randomUUID().toString(), "name", "k")), 422, "unprocessable");
        errorNaming(post("/v1/internal/orgs/" + UUID.randomUUID() + "/api-keys", obj("memberId", member, "name", "k")),
                404, "not_found");
        errorNaming(post(path, obj("name", "k")), 400, "bad_request", "memberId");
        errorNaming(post(path, obj("memberId", "nope", "name", "k")), 400, "bad_request", "memberId");
        errorNaming(post(path, obj("memberId", member)), 400, "bad_request", "name");
        errorNaming(post(path, obj("memberId", member, "name", "")), 400, "bad_request", "name");
        errorNaming(post(path, obj("memberId", member, "name", "k", "expiresAt", "2020-01-01T00:00:00Z")), 400,
                "bad_request", "expiresAt");
        errorNaming(post(path, obj("memberId", member, "name", "k", "expiresAt", "tomorrow")), 400, "bad_request",
                "expiresAt");
        errorNaming(post(path, obj("memberId", member, "name", "k", "expiresAt", 1893456000)), 400, "bad_request",
                "expiresAt");
        errorNaming(post(path, obj("memberId", member, "name", "k", "test", "yes")), 400, "bad_request", "test");
    }

    @Test
    void revoking_a_key_answers_its_state_without_the_secret_and_the_key_stops_working() {
        TestOrg org = app.newOrg("free");
        JsonNode created = data(post("/v1/internal/orgs/" + org.orgId() + "/api-keys", obj(
                "memberId", org.admin().id().toString(), "name", "to revoke")), 201);
        String keyId = created.path("id").asText();
        String plainKey = created.path("key").asText();
        assertThat(app.app.billing().authenticateApiKey().execute(plainKey)).isPresent();

        JsonNode revoked = data(delete("/v1/internal/orgs/" + org.orgId() + "/api-keys/" + keyId), 200);
        assertThat(fields(revoked)).containsExactly("id", "displayPrefix", "orgId", "memberId", "name", "test",
                "createdAt", "expiresAt", "revokedAt");
        assertThat(revoked.toString()).doesNotContain(plainKey);
        assertThat(revoked.path("id").asText()).isEqualTo(keyId);
        assertThat(revoked.path("displayPrefix").asText()).isEqualTo(created.path("displayPrefix").asText());
        assertThat(revoked.path("memberId").asText()).isEqualTo(org.admin().id().toString());
        assertThat(Instant.parse(revoked.path("revokedAt").asText())).isCloseTo(Instant.now(), within());
        assertThat(app.app.billing().authenticateApiKey().execute(plainKey)).isEmpty();

        JsonNode again = data(delete("/v1/internal/orgs/" + org.orgId() + "/api-keys/" + keyId), 200);
        assertThat(again.path("revokedAt").asText()).isEqualTo(revoked.path("revokedAt").asText());
    }

    @Test
    void revoking_needs_a_key_of_that_org() {
        TestOrg org = app.newOrg("free");
        TestOrg other = app.newOrg("free");
        String keyId = data(post("/v1/internal/orgs/" + org.orgId() + "/api-keys", obj(
                "memberId", org.member().id().toString(), "name", "k")), 201).path("id").asText();
        errorNaming(delete("/v1/internal/orgs/" + other.orgId() + "/api-keys/" + keyId), 404, "not_found");
        errorNaming(delete("/v1/internal/orgs/" + org.orgId() + "/api-keys/" + UUID.randomUUID()), 404, "not_found");
        errorNaming(delete("/v1/internal/orgs/" + org.orgId() + "/api-keys/rt_live_abc"), 400, "bad_request",
                "keyId");
        assertThat(app.app.billing().authenticateApiKey().execute(org.memberKey())).isPresent();
    }

    // ---- grants and adjustments ----

    @Test
    void a_grant_answers_201_with_its_ledger_entry_replays_and_conflicts() {
        OrgId org = createOrg(obj("name", "Grants", "signupGrantCents", 0));
        String key = key();
        String body = obj("amountCents", 2500, "description", "launch promo", "idempotencyKey", key,
                "expiresAt", Instant.now().plus(Duration.ofDays(7)).toString());
        Answer first = post("/v1/internal/orgs/" + org + "/grants", body);
        assertFirstTime(first, 201);
        JsonNode entry = data(first, 201);
        assertThat(fields(entry)).containsExactly("id", "orgId", "memberId", "type", "amountCents", "amountMicros",
                "resource", "description", "referenceId", "balanceAfterCents", "balanceAfterMicros", "createdAt",
                "replayed");
        assertThat(entry.path("orgId").asText()).isEqualTo(org.toString());
        assertThat(entry.path("memberId").isNull()).isTrue();
        assertThat(entry.path("type").asText()).isEqualTo("grant");
        assertThat(entry.path("amountCents").asLong()).isEqualTo(2500);
        assertThat(entry.path("amountMicros").asLong()).isEqualTo(2_500_000_000L);
        assertThat(entry.path("resource").asText()).isEmpty();
        assertThat(entry.path("description").asText()).isEqualTo("launch promo");
        assertThat(entry.path("balanceAfterCents").asLong()).isEqualTo(2500);
        assertThat(entry.path("balanceAfterMicros").asLong()).isEqualTo(2_500_000_000L);
        assertThat(entry.path("replayed").asBoolean()).isFalse();

        Answer replay = post("/v1/internal/orgs/" + org + "/grants", body);
        assertReplayed(replay);
        assertThat(data(replay, 200).path("id").asText()).isEqualTo(entry.path("id").asText());
        assertThat(data(replay, 200).path("replayed").asBoolean()).isTrue();
        errorNaming(post("/v1/internal/orgs/" + org + "/grants", obj("amountCents", 2501, "idempotencyKey", key)),
                409, "idempotency_conflict");
        assertThat(balance(app, org)).isEqualTo(Credits.ofCents(2500));

        JsonNode viaHeader = data(post("/v1/internal/orgs/" + org + "/grants", obj("amountCents", 1),
                "Idempotency-Key", key()), 201);
        assertThat(viaHeader.path("description").asText()).isEqualTo("promotional credit");
        assertThat(viaHeader.path("balanceAfterCents").asLong()).isEqualTo(2501);
    }

    @Test
    void an_invalid_grant_is_400_and_an_unknown_org_404() {
        OrgId org = createOrg(obj("name", "Grants"));
        String path = "/v1/internal/orgs/" + org + "/grants";
        errorNaming(post(path, obj("amountCents", 0, "idempotencyKey", key())), 400, "bad_request", "amountCents");
        errorNaming(post(path, obj("amountCents", -5, "idempotencyKey", key())), 400, "bad_request", "amountCents");
        errorNaming(post(path, obj("amountCents", raw("2.5"), "idempotencyKey", key())), 400, "bad_request",
                "amountCents");
        errorNaming(post(path, obj("amountCents", raw("9223372036854775807"), "idempotencyKey", key())), 400,
                "bad_request", "amountCents");
        errorNaming(post(path, obj("amountCents", raw("9223372036854775808"), "idempotencyKey", key())), 400,
                "bad_request", "amountCents");
        errorNaming(post(path, obj("idempotencyKey", key())), 400, "bad_request", "amountCents");
        errorNaming(post(path, obj("amountCents", 5)), 400, "bad_request", "idempotencyKey");
        errorNaming(post(path, obj("amountCents", 5, "idempotencyKey", "k".repeat(256))), 400, "bad_request",
                "idempotencyKey");
        errorNaming(post(path, obj("amountCents", 5, "idempotencyKey", key(), "expiresAt", "2020-01-01T00:00:00Z")),
                400, "bad_request", "expiresAt");
        errorNaming(post(path, obj("amountCents", 5, "idempotencyKey", key(), "expiresAt", "2030-13-01")), 400,
                "bad_request", "expiresAt");
        errorNaming(post("/v1/internal/orgs/" + UUID.randomUUID() + "/grants", obj("amountCents", 5,
                "idempotencyKey", key())), 404, "not_found");
        assertThat(balance(app, org)).isEqualTo(Credits.ofCents(500));
    }

    @Test
    void an_adjustment_is_signed_carries_its_reason_replays_and_conflicts() {
        OrgId org = createOrg(obj("name", "Adjust"));
        String key = key();
        Answer first = post("/v1/internal/orgs/" + org + "/adjustments", obj("amountCents", -125,
                "reason", "double-charged call 42", "idempotencyKey", key));
        assertFirstTime(first, 201);
        JsonNode entry = data(first, 201);
        assertThat(entry.path("type").asText()).isEqualTo("adjustment");
        assertThat(entry.path("amountCents").asLong()).isEqualTo(-125);
        assertThat(entry.path("amountMicros").asLong()).isEqualTo(-125_000_000L);
        assertThat(entry.path("description").asText()).isEqualTo("double-charged call 42");
        assertThat(entry.path("balanceAfterCents").asLong()).isEqualTo(375);
        assertReplayed(post("/v1/internal/orgs/" + org + "/adjustments", obj("amountCents", -125,
                "reason", "double-charged call 42", "idempotencyKey", key)));
        errorNaming(post("/v1/internal/orgs/" + org + "/adjustments", obj("amountCents", 125,
                "reason", "double-charged call 42", "idempotencyKey", key)), 409, "idempotency_conflict");
        JsonNode credit = data(post("/v1/internal/orgs/" + org + "/adjustments", obj("amountCents", 25,
                "reason", "goodwill", "idempotencyKey", key())), 201);
        assertThat(credit.path("balanceAfterCents").asLong()).isEqualTo(400);
        assertThat(balance(app, org)).isEqualTo(Credits.ofCents(400));

        String path = "/v1/internal/orgs/" + org + "/adjustments";
        errorNaming(post(path, obj("amountCents", 0, "reason", "r", "idempotencyKey", key())), 400, "bad_request",
                "amountCents");
        errorNaming(post(path, obj("amountCents", -100_000_000_001L, "reason", "r", "idempotencyKey", key())), 400,
                "bad_request", "amountCents");
        errorNaming(post(path, obj("amountCents", 5, "idempotencyKey", key())), 400, "bad_request", "reason");
        errorNaming(post(path, obj("amountCents", 5, "reason", " ", "idempotencyKey", key())), 400, "bad_request",
                "reason");
        errorNaming(post("/v1/internal/orgs/" + UUID.randomUUID() + "/adjustments", obj("amountCents", 5,
                "reason", "r", "idempotencyKey", key())), 404, "not_found");
    }

    // ---- operations ----

    @Test
    void the_ledger_verifier_reports_every_org_and_no_drift() {
        TestOrg org = app.newOrg("free");
        post("/v1/internal/orgs/" + org.orgId() + "/grants", obj("amountCents", 100, "idempotencyKey", key()));
        JsonNode report = data(app.internalGet("/v1/internal/ledger/verify"), 200);
        assertThat(fields(report)).containsExactly("orgsChecked", "entriesChecked", "clean", "drifts");
        assertThat(report.path("orgsChecked").asInt()).isPositive();
        assertThat(report.path("entriesChecked").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(report.path("clean").asBoolean()).isTrue();
        assertThat(report.path("drifts").isArray()).isTrue();
        assertThat(report.path("drifts").size()).isZero();
        assertThat(report.path("orgsChecked").asInt())
                .isEqualTo(app.app.billing().verifyLedger().execute().orgsChecked());
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return org.assertj.core.api.Assertions.within(1, java.time.temporal.ChronoUnit.MINUTES);
    }
}
