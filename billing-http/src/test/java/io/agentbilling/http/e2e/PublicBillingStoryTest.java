package io.agentbilling.http.e2e;

import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.e2e.PublicApi.deduct;
import static io.agentbilling.http.support.Envelopes.error;
import static io.agentbilling.http.support.Envelopes.items;
import static io.agentbilling.http.e2e.PublicApi.key;
import static io.agentbilling.http.e2e.PublicApi.pathOf;
import static io.agentbilling.http.e2e.PublicApi.payLocally;
import static io.agentbilling.http.e2e.PublicApi.queryParam;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettleToolExecution;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public API's whole story on the real server, as the platform's documentation tells it: an org on the free plan
 * spends its sign-up credit, reads its plan, credits, ledger and usage, buys credit through the (local) checkout,
 * verifies it, turns auto top-up on, and gets topped up automatically when a debit crosses the threshold.
 */
class PublicBillingStoryTest {
    private static TestApplication server;

    @BeforeAll
    static void start() {
        server = new TestApplication();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void an_org_spends_reads_tops_up_and_is_topped_up_automatically() {
        TestOrg org = server.newOrg("free");
        String admin = org.adminKey();
        String member = org.memberKey();

        // Usage, reported by the platform's services (here straight through the engine): 12 debits of the member.
        for (int i = 0; i < 10; i++) {
            server.app.billing().settleModelUsage().execute(SettleModelUsage.Command.builder()
                    .orgId(org.orgId()).memberId(org.member().id()).model("gpt-5").inputTokens(2000)
                    .outputTokens(1000).referenceId("call-" + i).idempotencyKey("call-" + UUID.randomUUID()).build());
        }
        server.app.billing().settleToolExecution().execute(SettleToolExecution.Command.builder()
                .orgId(org.orgId()).memberId(org.member().id()).tool("browser").count(2).referenceId("tool-1")
                .idempotencyKey("tool-" + UUID.randomUUID()).build());
        deduct(server, org.orgId(), org.member().id(), 30_000_000L, "code_exec", "exec-1");
        // 10 × (2000 × 125 + 1000 × 1000) µ¢ = 12.5 ¢, browser 2 × 0.5 ¢ = 1 ¢, code 30 ¢: 43.5 ¢ spent.
        long spentMicros = 12_500_000L + 1_000_000L + 30_000_000L;

        JsonNode plan = data(server.get("/v1/billing/plan", key(member)));
        assertThat(plan.path("plan").asText()).isEqualTo("free");
        assertThat(plan.path("balanceMicros").asLong()).isEqualTo(500_000_000L - spentMicros);
        assertThat(plan.path("balanceCents").asLong()).isEqualTo(456);               // 456.5, rounded down
        assertThat(plan.path("totalUsedCents").asLong()).isEqualTo(44);
        JsonNode credits = data(server.get("/v1/billing/credits", key(member)));
        assertThat(credits.path("balanceCents").asLong()).isEqualTo(456);
        assertThat(credits.path("totalUsedMicros").asLong()).isEqualTo(spentMicros);

        List<JsonNode> ledger = readWholeHistory(member, 5);
        assertThat(ledger).hasSize(13);
        assertThat(ledger.get(12).path("type").asText()).isEqualTo("signup_grant");
        assertThat(ledger.subList(0, 12)).allMatch(e -> e.path("type").asText().equals("usage"));

        for (String period : List.of("current", "7d", "30d", "all_time")) {
            JsonNode mine = data(server.get("/v1/billing/my-usage?period=" + period, key(member))).path("usage");
            assertThat(mine.path("tokens").path("total").asLong()).as(period).isEqualTo(30_000);
            assertThat(mine.path("toolExecutions").asLong()).isEqualTo(2);
            assertThat(mine.path("totalCostCents").asLong()).isEqualTo(44);          // 43.5, half-even
            JsonNode all = data(server.get("/v1/billing/my-usage?all=true&period=" + period, key(admin)));
            assertThat(all.path("members").size()).isEqualTo(1);
            assertThat(all.path("totals").path("totalCostCents").asLong()).isEqualTo(44);
            error(server.get("/v1/billing/my-usage?all=true&period=" + period, key(member)), 403, "forbidden");
        }

        // Buying credit: the admin starts a checkout, pays on the checkout page, lands on the success URL.
        error(server.put("/v1/billing/auto-topup", "{\"enabled\":true}", key(admin)), 422, "payment_method_required");
        JsonNode topup = data(server.post("/v1/billing/topup", "{\"amountCents\":2500}", key(admin)));
        String location = payLocally(server, topup.path("checkoutUrl").asText());
        String sessionId = queryParam(location, "session_id");
        assertThat(sessionId).isEqualTo(topup.path("sessionId").asText());
        assertThat(server.get(pathOf(location)).status()).isEqualTo(200);
        JsonNode verified = data(server.get("/v1/billing/success?session_id=" + sessionId, key(admin)));
        JsonNode again = data(server.get("/v1/billing/success?session_id=" + sessionId, key(member)));
        assertThat(verified.path("credited").asBoolean()).isTrue();
        assertThat(again.path("entryId").asText()).isEqualTo(verified.path("entryId").asText());
        long afterTopupMicros = 500_000_000L - spentMicros + 2_500_000_000L;
        assertThat(again.path("balanceMicros").asLong()).isEqualTo(afterTopupMicros);
        assertThat(types(member, "topup")).hasSize(1);

        // Auto top-up: the paid checkout saved the card. From 2956.5 ¢, a debit to 956.5 ¢ crosses 1000 ¢ once.
        JsonNode settings = data(server.put("/v1/billing/auto-topup",
                "{\"enabled\":true,\"thresholdCents\":1000,\"topupAmountCents\":2500}", key(admin)));
        assertThat(settings.path("enabled").asBoolean()).isTrue();
        assertThat(settings.path("hasSavedPaymentMethod").asBoolean()).isTrue();
        deduct(server, org.orgId(), org.member().id(), 2_000_000_000L, "support", "big-job");

        List<JsonNode> autoTopups = awaitEntries(member, "auto_topup", Duration.ofSeconds(20));
        assertThat(autoTopups).hasSize(1);
        assertThat(autoTopups.get(0).path("amountCents").asLong()).isEqualTo(2500);
        assertThat(autoTopups.get(0).path("referenceId").asText()).startsWith("pi_local_");
        JsonNode after = data(server.get("/v1/billing/credits", key(member)));
        assertThat(after.path("balanceMicros").asLong()).isEqualTo(afterTopupMicros - 2_000_000_000L
                + 2_500_000_000L);
        JsonNode autoTopup = data(server.get("/v1/billing/auto-topup", key(member)));
        assertThat(autoTopup.path("lastTopupAt").isTextual()).isTrue();
        assertThat(autoTopup.path("consecutiveFailures").asInt()).isZero();
        assertThat(autoTopup.path("lastFailureAt").isNull()).isTrue();
        // Another run of the worker (as the next scheduled one would) finds nothing left to charge.
        assertThat(server.app.billing().runAutoTopups().execute().charged()).isZero();
        assertThat(types(member, "auto_topup")).hasSize(1);
        assertThat(types(member, "topup")).hasSize(1);

        List<JsonNode> whole = readWholeHistory(member, 7);
        for (int i = 0; i < whole.size() - 1; i++) {
            assertThat(whole.get(i).path("balanceAfterMicros").asLong()).isEqualTo(
                    whole.get(i + 1).path("balanceAfterMicros").asLong() + whole.get(i).path("amountMicros").asLong());
        }
        assertThat(whole.get(0).path("balanceAfterMicros").asLong()).isEqualTo(after.path("balanceMicros").asLong());
    }

    /** The platform's published examples, sent exactly as documented (against this server's address). */
    @Test
    void the_documented_curl_examples_work_as_written() {
        TestOrg org = server.newOrg("free");
        String apiKey = org.adminKey();

        Answer plan = server.get("/v1/billing/plan", "X-API-Key", apiKey);
        assertThat(plan.status()).as(plan.body()).isEqualTo(200);
        assertThat(plan.json().path("data").path("plan").asText()).isEqualTo("free");

        Answer usage = server.get("/v1/billing/my-usage?period=30d", "X-API-Key", apiKey);
        assertThat(usage.status()).as(usage.body()).isEqualTo(200);
        assertThat(usage.json().path("data").path("period").asText()).isEqualTo("30d");

        Answer topup = server.send(HttpRequest.newBuilder(server.uri("/v1/billing/topup"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"amountCents\":2500}")),
                "X-API-Key", apiKey, "Content-Type", "application/json");
        assertThat(topup.status()).as(topup.body()).isEqualTo(200);
        String checkoutUrl = topup.json().path("data").path("checkoutUrl").asText();
        assertThat(checkoutUrl).startsWith("http://localhost:8080/checkout/cs_local_");

        // The example turns auto top-up on, which needs the card a paid checkout saves: pay the one just started.
        payLocally(server, checkoutUrl);
        Answer autoTopup = server.send(HttpRequest.newBuilder(server.uri("/v1/billing/auto-topup"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\n"
                        + "\"enabled\": true,\n"
                        + "\"thresholdCents\": 1000,\n"
                        + "\"topupAmountCents\": 2500\n"
                        + "}")), "X-API-Key", apiKey, "Content-Type", "application/json");
        assertThat(autoTopup.status()).as(autoTopup.body()).isEqualTo(200);
        JsonNode settings = autoTopup.json().path("data");
        assertThat(settings.path("enabled").asBoolean()).isTrue();
        assertThat(settings.path("thresholdCents").asLong()).isEqualTo(1000);
        assertThat(settings.path("topupAmountCents").asLong()).isEqualTo(2500);
    }

    private static List<JsonNode> readWholeHistory(String apiKey, int pageSize) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            JsonNode body = server.get("/v1/billing/credits/history?limit=" + pageSize
                    + (cursor == null ? "" : "&cursor=" + cursor), key(apiKey)).json();
            entries.addAll(items(body.path("data")));
            assertThat(body.path("data").size()).isLessThanOrEqualTo(pageSize);
            if (!body.path("meta").path("hasMore").asBoolean()) {
                return entries;
            }
            cursor = body.path("meta").path("nextCursor").asText();
        }
        throw new AssertionError("the history did not end");
    }

    private static List<JsonNode> types(String apiKey, String type) {
        return items(data(server.get("/v1/billing/credits/history?type=" + type, key(apiKey))));
    }

    /** Polls the ledger for entries of {@code type}: the worker runs on its own thread. */
    private static List<JsonNode> awaitEntries(String apiKey, String type, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> found = types(apiKey, type);
            if (!found.isEmpty()) {
                return found;
            }
            sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("no " + type + " entry within " + timeout);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
