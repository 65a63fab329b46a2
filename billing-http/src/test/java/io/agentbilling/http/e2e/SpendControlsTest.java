package io.agentbilling.http.e2e;

import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.detailField;
import static io.agentbilling.http.support.Envelopes.error;
import static io.agentbilling.http.support.Envelopes.items;
import static io.agentbilling.http.e2e.PublicApi.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Member budgets, API-key caps, the spend settings and the credit gate over every limit, through the real server on
 * PostgreSQL with a real HTTP client.
 */
class SpendControlsTest {
    private static TestApplication server;

    @BeforeAll
    static void start() {
        server = new TestApplication();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String memberId(TestOrg org) {
        return org.member().id().toString();
    }

    private static JsonNode deduct(TestOrg org, long cents, String apiKeyId) {
        String body = "{\"orgId\":\"" + org.orgId() + "\",\"memberId\":\"" + memberId(org) + "\",\"amountCents\":"
                + cents + ",\"resource\":\"agent_run\",\"idempotencyKey\":\"" + UUID.randomUUID() + "\""
                + (apiKeyId == null ? "" : ",\"apiKeyId\":\"" + apiKeyId + "\"") + "}";
        return data(server.internalPost("/v1/internal/billing/deductions", body));
    }

    private static Answer creditCheck(String body) {
        return server.internalPost("/v1/internal/billing/credit-check", body);
    }

    private static JsonNode limit(JsonNode check, String kind) {
        return items(check.path("limits")).stream().filter(l -> l.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + check));
    }

    @Test
    void an_admin_sets_a_budget_the_member_reads_it_and_the_gate_refuses_past_it() {
        TestOrg org = server.newOrg("free");
        String path = "/v1/billing/budgets/members/" + memberId(org);

        JsonNode set = data(server.put(path, "{\"monthlyLimitCents\":1000,\"dailyLimitCents\":300}",
                key(org.adminKey())));
        assertThat(set.path("memberId").asText()).isEqualTo(memberId(org));
        assertThat(set.path("monthlyLimitCents").asLong()).isEqualTo(1000);
        assertThat(set.path("dailyLimitCents").asLong()).isEqualTo(300);
        assertThat(set.path("remainingTodayCents").asLong()).isEqualTo(300);
        assertThat(set.path("day").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());

        deduct(org, 250, null);

        List<JsonNode> mine = items(data(server.get("/v1/billing/budgets", key(org.memberKey()))));
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).path("spentTodayCents").asLong()).isEqualTo(250);
        assertThat(mine.get(0).path("spentThisMonthCents").asLong()).isEqualTo(250);
        assertThat(mine.get(0).path("remainingTodayCents").asLong()).isEqualTo(50);
        assertThat(mine.get(0).path("remainingThisMonthCents").asLong()).isEqualTo(750);
        List<JsonNode> all = items(data(server.get("/v1/billing/budgets", key(org.adminKey()))));
        assertThat(all).extracting(row -> row.path("memberId").asText())
                .containsExactlyInAnyOrder(memberId(org), org.admin().id().toString());
        assertThat(all).filteredOn(row -> row.path("memberId").asText().equals(org.admin().id().toString()))
                .allSatisfy(row -> assertThat(row.path("monthlyLimitCents").isNull()).isTrue());

        JsonNode refused = data(creditCheck("{\"orgId\":\"" + org.orgId() + "\",\"memberId\":\"" + memberId(org)
                + "\",\"estimatedCents\":100}"));
        assertThat(refused.path("allowed").asBoolean(true)).isFalse();
        assertThat(refused.path("limitedBy").asText()).isEqualTo("member_daily");
        assertThat(refused.path("reason").asText()).isEqualTo("spend_limit_reached");
        assertThat(limit(refused, "org_balance").path("remainingCents").asLong()).isEqualTo(250);
        assertThat(limit(refused, "member_daily").path("remainingCents").asLong()).isEqualTo(50);
        assertThat(limit(refused, "member_monthly").path("remainingCents").asLong()).isEqualTo(750);
        assertThat(limit(refused, "member_monthly").path("spentCents").asLong()).isEqualTo(250);

        JsonNode fits = data(creditCheck("{\"orgId\":\"" + org.orgId() + "\",\"memberId\":\"" + memberId(org)
                + "\",\"estimatedCents\":50}"));
        assertThat(fits.path("allowed").asBoolean()).isTrue();
        assertThat(fits.path("limitedBy").isNull()).isTrue();

        // The org alone still has 250 cents: without the member the gate admits.
        JsonNode orgOnly = data(creditCheck("{\"orgId\":\"" + org.orgId() + "\",\"estimatedCents\":100}"));
        assertThat(orgOnly.path("allowed").asBoolean()).isTrue();
        assertThat(items(orgOnly.path("limits"))).extracting(l -> l.path("kind").asText()).containsExactly("org_balance");

        // Usage past the limit is still recorded; removing the budget lifts it.
        deduct(org, 100, null);
        assertThat(items(data(server.get("/v1/billing/budgets", key(org.memberKey())))).get(0)
                .path("remainingTodayCents").asLong()).isEqualTo(-50);
        JsonNode removed = data(server.put(path, "{}", key(org.adminKey())));
        assertThat(removed.path("monthlyLimitCents").isNull()).isTrue();
        assertThat(removed.path("remainingTodayCents").isNull()).isTrue();
        assertThat(data(creditCheck("{\"orgId\":\"" + org.orgId() + "\",\"memberId\":\"" + memberId(org)
                + "\",\"estimatedCents\":100}")).path("allowed").asBoolean()).isTrue();
    }

    @Test
    void budgets_are_for_admins_to_set_with_limits_in_range_for_members_of_the_org() {
        TestOrg org = server.newOrg("free");
        TestOrg other = server.newOrg("free");
        String path = "/v1/billing/budgets/members/" + memberId(org);
        error(server.put(path, "{\"monthlyLimitCents\":100}", key(org.memberKey())), 403, "forbidden");
        Answer negative = server.put(path, "{\"monthlyLimitCents\":-1}", key(org.adminKey()));
        error(negative, 400, "bad_request");
        assertThat(detailField(negative)).isEqualTo("monthlyLimitCents");
        error(server.put("/v1/billing/budgets/members/" + memberId(other), "{\"monthlyLimitCents\":100}",
                key(org.adminKey())), 404, "not_found");
        error(server.put(path, "{\"orgId\":\"" + other.orgId() + "\",\"monthlyLimitCents\":100}",
                key(org.adminKey())), 403, "forbidden");
        // Nothing changed.
        assertThat(items(data(server.get("/v1/billing/budgets", key(org.memberKey())))).get(0)
                .path("monthlyLimitCents").isNull()).isTrue();
    }

    @Test
    void a_key_cap_set_at_creation_or_later_limits_the_gate_and_admins_see_it() {
        TestOrg org = server.newOrg("free");
        String orgPath = "/v1/internal/orgs/" + org.orgId() + "/api-keys";
        JsonNode created = data(server.internalPost(orgPath, "{\"memberId\":\"" + memberId(org)
                + "\",\"name\":\"agent\",\"monthlyCapCents\":200}"), 201);
        String keyId = created.path("id").asText();

        deduct(org, 150, keyId);
        deduct(org, 100, null);

        List<JsonNode> caps = items(data(server.get("/v1/billing/api-key-caps", key(org.adminKey()))));
        assertThat(caps).hasSize(1);
        assertThat(caps.get(0).path("keyId").asText()).isEqualTo(keyId);
        assertThat(caps.get(0).path("monthlyCapCents").asLong()).isEqualTo(200);
        assertThat(caps.get(0).path("lifetimeCapCents").isNull()).isTrue();
        assertThat(caps.get(0).path("spentThisMonthCents").asLong()).isEqualTo(150);
        assertThat(caps.get(0).path("remainingThisMonthCents").asLong()).isEqualTo(50);
        error(server.get("/v1/billing/api-key-caps", key(org.memberKey())), 403, "forbidden");

        JsonNode refused = data(creditCheck("{\"orgId\":\"" + org.orgId() + "\",\"apiKeyId\":\"" + keyId
                + "\",\"estimatedCents\":60}"));
        assertThat(refused.path("allowed").asBoolean(true)).isFalse();
        assertThat(refused.path("limitedBy").asText()).isEqualTo("key_monthly");
        assertThat(limit(refused, "key_monthly").path("remainingCents").asLong()).isEqualTo(50);

        JsonNode changed = data(server.send(java.net.http.HttpRequest.newBuilder(server.uri(orgPath + "/" + keyId
                        + "/cap")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"lifetimeCapCents\":1000}")),
                "X-Internal-Secret", TestApplication.INTERNAL_SECRET));
        assertThat(changed.path("monthlyCapCents").isNull()).isTrue();
        assertThat(changed.path("lifetimeCapCents").asLong()).isEqualTo(1000);
        assertThat(changed.path("remainingLifetimeCents").asLong()).isEqualTo(850);
        JsonNode admitted = data(creditCheck("{\"orgId\":\"" + org.orgId() + "\",\"apiKeyId\":\"" + keyId
                + "\",\"estimatedCents\":60}"));
        assertThat(admitted.path("allowed").asBoolean()).isTrue();
        assertThat(limit(admitted, "key_lifetime").path("remainingCents").asLong()).isEqualTo(850);

        // A key of another org is unknown here, on both the cap and the gate.
        TestOrg other = server.newOrg("free");
        error(server.send(java.net.http.HttpRequest.newBuilder(server.uri("/v1/internal/orgs/" + other.orgId()
                        + "/api-keys/" + keyId + "/cap")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"monthlyCapCents\":1}")),
                "X-Internal-Secret", TestApplication.INTERNAL_SECRET), 404, "not_found");
        Answer foreign = creditCheck("{\"orgId\":\"" + other.orgId() + "\",\"apiKeyId\":\""
                + keyId + "\",\"estimatedCents\":1}");
        error(foreign, 422, "unprocessable");
        assertThat(detailField(foreign)).isEqualTo("apiKeyId");
        Answer foreignCharge = server.internalPost("/v1/internal/billing/deductions",
                "{\"orgId\":\"" + other.orgId() + "\",\"amountCents\":1,\"resource\":\"x\",\"idempotencyKey\":\""
                        + UUID.randomUUID() + "\",\"apiKeyId\":\"" + keyId + "\"}");
        error(foreignCharge, 422, "unprocessable");
        assertThat(data(server.get("/v1/billing/credits", key(other.memberKey()))).path("balanceCents").asLong())
                .isEqualTo(500);
    }

    @Test
    void the_spend_settings_are_replaced_whole_by_an_admin_and_read_by_members() {
        TestOrg org = server.newOrg("free");
        JsonNode defaults = data(server.get("/v1/billing/settings", key(org.memberKey())));
        assertThat(defaults.path("countByokTowardBudgets").asBoolean(true)).isFalse();
        assertThat(defaults.path("balanceLowThresholdCents").isNull()).isTrue();
        assertThat(defaults.path("updatedAt").isNull()).isTrue();

        JsonNode set = data(server.put("/v1/billing/settings",
                "{\"countByokTowardBudgets\":true,\"balanceLowThresholdCents\":2000}", key(org.adminKey())));
        assertThat(set.path("countByokTowardBudgets").asBoolean()).isTrue();
        assertThat(set.path("balanceLowThresholdCents").asLong()).isEqualTo(2000);
        assertThat(data(server.get("/v1/billing/settings", key(org.memberKey())))).isEqualTo(set);

        error(server.put("/v1/billing/settings", "{\"countByokTowardBudgets\":false}", key(org.memberKey())), 403,
                "forbidden");
        error(server.put("/v1/billing/settings", "{\"balanceLowThresholdCents\":-5}", key(org.adminKey())), 400,
                "bad_request");
        JsonNode replaced = data(server.put("/v1/billing/settings", "{\"countByokTowardBudgets\":true}",
                key(org.adminKey())));
        assertThat(replaced.path("balanceLowThresholdCents").isNull()).isTrue();
    }

    @Test
    void byok_calls_count_toward_the_member_budget_only_when_the_org_says_so() {
        TestOrg org = server.newOrg("free");
        data(server.put("/v1/billing/budgets/members/" + memberId(org), "{\"dailyLimitCents\":1}",
                key(org.adminKey())));
        String byokCall = "{\"orgId\":\"" + org.orgId() + "\",\"memberId\":\"" + memberId(org) + "\",\"model\":"
                + "\"gpt-5\",\"inputTokens\":1000000,\"outputTokens\":0,\"byok\":true,\"idempotencyKey\":\"%s\"}";
        data(server.internalPost("/v1/internal/billing/model-usage", byokCall.formatted(UUID.randomUUID())));
        String check = "{\"orgId\":\"" + org.orgId() + "\",\"memberId\":\"" + memberId(org) + "\"}";
        assertThat(data(creditCheck(check)).path("allowed").asBoolean()).isTrue();

        data(server.put("/v1/billing/settings", "{\"countByokTowardBudgets\":true}", key(org.adminKey())));
        data(server.internalPost("/v1/internal/billing/model-usage", byokCall.formatted(UUID.randomUUID())));
        JsonNode refused = data(creditCheck(check));
        assertThat(refused.path("allowed").asBoolean(true)).isFalse();
        assertThat(refused.path("limitedBy").asText()).isEqualTo("member_daily");
        // BYOK is never charged.
        assertThat(data(server.get("/v1/billing/credits", key(org.memberKey()))).path("balanceCents").asLong())
                .isEqualTo(500);
    }

    private static Answer placeHold(TestOrg org, String member, long cents, long ttl, String key) {
        return server.internalPost("/v1/internal/billing/holds", "{\"orgId\":\"" + org.orgId() + "\""
                + (member == null ? "" : ",\"memberId\":\"" + member + "\"") + ",\"amountCents\":" + cents
                + ",\"ttlSeconds\":" + ttl + ",\"idempotencyKey\":\"" + key + "\"}");
    }

    private static JsonNode credits(TestOrg org) {
        return data(server.get("/v1/billing/credits", key(org.memberKey())));
    }

    @Test
    void a_hold_reserves_credit_and_a_settlement_naming_it_charges_the_actual_amount_and_releases_the_rest() {
        TestOrg org = server.newOrg("free");
        JsonNode hold = data(placeHold(org, memberId(org), 300, 600, "run-1"), 201);
        String holdId = hold.path("holdId").asText();
        assertThat(hold.path("status").asText()).isEqualTo("active");
        assertThat(hold.path("amountCents").asLong()).isEqualTo(300);
        Answer replay = placeHold(org, memberId(org), 300, 600, "run-1");
        assertThat(data(replay, 200).path("holdId").asText()).isEqualTo(holdId);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        error(placeHold(org, memberId(org), 301, 600, "run-1"), 409, "idempotency_conflict");

        JsonNode held = credits(org);
        assertThat(held.path("balanceCents").asLong()).isEqualTo(500);
        assertThat(held.path("heldCents").asLong()).isEqualTo(300);
        assertThat(held.path("availableCents").asLong()).isEqualTo(200);
        JsonNode gate = data(creditCheck("{\"orgId\":\"" + org.orgId() + "\",\"estimatedCents\":201}"));
        assertThat(gate.path("allowed").asBoolean(true)).isFalse();
        assertThat(gate.path("heldCents").asLong()).isEqualTo(300);

        // The org's available credit does not leave 250 more: 402 naming the limit, nothing reserved.
        Answer refused = placeHold(org, null, 250, 600, "run-2");
        JsonNode refusal = error(refused, 402, "insufficient_credit");
        assertThat(items(refusal.path("details"))).anySatisfy(d -> {
            assertThat(d.path("field").asText()).isEqualTo("limitedBy");
            assertThat(d.path("issue").asText()).isEqualTo("org_balance");
        });
        assertThat(credits(org).path("heldCents").asLong()).isEqualTo(300);

        // Captured by a settlement above the hold: the actual amount is charged, the hold closes.
        String capture = "{\"orgId\":\"" + org.orgId() + "\",\"memberId\":\"" + memberId(org) + "\",\"amountCents\":"
                + "350,\"resource\":\"agent_run\",\"idempotencyKey\":\"cap-1\",\"holdId\":\"" + holdId + "\"}";
        data(server.internalPost("/v1/internal/billing/deductions", capture));
        JsonNode after = credits(org);
        assertThat(after.path("balanceCents").asLong()).isEqualTo(150);
        assertThat(after.path("heldCents").asLong()).isZero();
        assertThat(after.path("availableCents").asLong()).isEqualTo(150);
        JsonNode captured = data(server.internalGet("/v1/internal/billing/holds/" + holdId));
        assertThat(captured.path("status").asText()).isEqualTo("captured");
        assertThat(captured.path("capturedCents").asLong()).isEqualTo(350);
        error(server.send(java.net.http.HttpRequest.newBuilder(server.uri("/v1/internal/billing/holds/" + holdId))
                .DELETE(), "X-Internal-Secret", TestApplication.INTERNAL_SECRET), 409, "conflict");

        // A settlement naming the hold for another member, or a hold of another org, is refused and writes nothing.
        TestOrg other = server.newOrg("free");
        JsonNode otherHold = data(placeHold(other, memberId(other), 100, 600, "o-1"), 201);
        Answer foreign = server.internalPost("/v1/internal/billing/deductions", "{\"orgId\":\""
                + org.orgId() + "\",\"amountCents\":10,\"resource\":\"x\",\"idempotencyKey\":\"cap-2\",\"holdId\":\""
                + otherHold.path("holdId").asText() + "\"}");
        error(foreign, 422, "unprocessable");
        assertThat(detailField(foreign)).isEqualTo("holdId");
        assertThat(credits(org).path("balanceCents").asLong()).isEqualTo(150);
    }

    @Test
    void a_hold_for_a_member_counts_against_their_budget_until_released() {
        TestOrg org = server.newOrg("free");
        data(server.put("/v1/billing/budgets/members/" + memberId(org), "{\"dailyLimitCents\":200}",
                key(org.adminKey())));
        String holdId = data(placeHold(org, memberId(org), 150, 600, "h-1"), 201).path("holdId").asText();
        JsonNode refusal = error(placeHold(org, memberId(org), 100, 600, "h-2"), 402, "insufficient_credit");
        assertThat(items(refusal.path("details"))).anySatisfy(d -> assertThat(d.path("issue").asText())
                .isEqualTo("member_daily"));
        JsonNode row = items(data(server.get("/v1/billing/budgets", key(org.memberKey())))).get(0);
        assertThat(row.path("heldCents").asLong()).isEqualTo(150);
        assertThat(row.path("remainingTodayCents").asLong()).isEqualTo(50);

        JsonNode released = data(server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("/v1/internal/billing/holds/" + holdId)).DELETE(), "X-Internal-Secret",
                TestApplication.INTERNAL_SECRET));
        assertThat(released.path("status").asText()).isEqualTo("released");
        assertThat(released.path("closedAt").isNull()).isFalse();
        // Releasing again answers it as it is.
        assertThat(data(server.send(java.net.http.HttpRequest.newBuilder(
                server.uri("/v1/internal/billing/holds/" + holdId)).DELETE(), "X-Internal-Secret",
                TestApplication.INTERNAL_SECRET))).isEqualTo(released);
        assertThat(data(placeHold(org, memberId(org), 100, 600, "h-3"), 201).path("status").asText())
                .isEqualTo("active");
        error(server.internalGet("/v1/internal/billing/holds/" + UUID.randomUUID()), 404, "not_found");
    }

    @Test
    void an_expired_hold_reserves_nothing() throws InterruptedException {
        TestOrg org = server.newOrg("free");
        String holdId = data(placeHold(org, null, 400, 1, "short"), 201).path("holdId").asText();
        Thread.sleep(1_100);
        assertThat(credits(org).path("heldCents").asLong()).isZero();
        assertThat(data(server.internalGet("/v1/internal/billing/holds/" + holdId)).path("status").asText())
                .isEqualTo("expired");
        assertThat(data(placeHold(org, null, 450, 60, "after"), 201).path("status").asText()).isEqualTo("active");
    }
}
