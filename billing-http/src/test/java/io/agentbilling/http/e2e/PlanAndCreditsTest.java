package io.agentbilling.http.e2e;

import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.e2e.PublicApi.deduct;
import static io.agentbilling.http.support.Envelopes.detailField;
import static io.agentbilling.http.support.Envelopes.error;
import static io.agentbilling.http.support.Envelopes.fields;
import static io.agentbilling.http.support.Envelopes.items;
import static io.agentbilling.http.e2e.PublicApi.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** API.md A1–A3 over real HTTP: the plan summary, the credit balance and the ledger history. */
class PlanAndCreditsTest {
    private static final long GIB = 1L << 30;
    private static TestApplication server;

    @BeforeAll
    static void start() {
        server = new TestApplication();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ------------------------------------------------------------------ A1 plan

    @Test
    void a_new_free_org_shows_its_plan_sign_up_credit_period_quota_and_auto_top_up_summary() {
        TestOrg org = server.newOrg("free");

        JsonNode plan = data(server.get("/v1/billing/plan", key(org.memberKey())));

        assertThat(fields(plan)).containsExactly("orgId", "plan", "planName", "balanceCents", "balanceMicros",
                "totalGrantedCents", "totalUsedCents", "currentPeriod", "includedCreditsCents", "storageQuotaBytes",
                "autoTopup");
        assertThat(plan.path("orgId").asText()).isEqualTo(org.orgId().toString());
        assertThat(plan.path("plan").asText()).isEqualTo("free");
        assertThat(plan.path("planName").asText()).isEqualTo("Free");
        assertThat(plan.path("balanceCents").isIntegralNumber()).isTrue();
        assertThat(plan.path("balanceCents").asLong()).isEqualTo(500);
        assertThat(plan.path("balanceMicros").asLong()).isEqualTo(500_000_000L);
        assertThat(plan.path("totalGrantedCents").asLong()).isEqualTo(500);
        assertThat(plan.path("totalUsedCents").asLong()).isZero();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(fields(plan.path("currentPeriod"))).containsExactly("from", "to");
        assertThat(plan.path("currentPeriod").path("from").asText())
                .isEqualTo(today.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        assertThat(plan.path("currentPeriod").path("to").asText())
                .isEqualTo(today.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
        assertThat(plan.path("includedCreditsCents").asLong()).isEqualTo(500);
        assertThat(plan.path("storageQuotaBytes").asLong()).isEqualTo(GIB);
        JsonNode autoTopup = plan.path("autoTopup");
        assertThat(fields(autoTopup)).containsExactly("enabled", "thresholdCents", "topupAmountCents",
                "hasSavedPaymentMethod");
        assertThat(autoTopup.path("enabled").asBoolean(true)).isFalse();
        assertThat(autoTopup.path("thresholdCents").asLong()).isEqualTo(1000);
        assertThat(autoTopup.path("topupAmountCents").asLong()).isEqualTo(2500);
        assertThat(autoTopup.path("hasSavedPaymentMethod").asBoolean(true)).isFalse();
    }

    @Test
    void a_pro_org_has_no_included_credit_and_a_larger_quota() {
        TestOrg org = server.newOrg("pro");

        JsonNode plan = data(server.get("/v1/billing/plan?orgId=" + org.orgId(), key(org.adminKey())));

        assertThat(plan.path("plan").asText()).isEqualTo("pro");
        assertThat(plan.path("planName").asText()).isEqualTo("Pro");
        assertThat(plan.path("balanceCents").asLong()).isZero();
        assertThat(plan.path("includedCreditsCents").asLong()).isZero();
        assertThat(plan.path("storageQuotaBytes").asLong()).isEqualTo(50 * GIB);
    }

    @Test
    void the_plan_takes_the_key_in_either_header_and_refuses_missing_unknown_and_foreign_access() {
        TestOrg org = server.newOrg("free");
        TestOrg other = server.newOrg("free");

        assertThat(server.get("/v1/billing/plan", "Authorization", "Bearer " + org.memberKey()).status())
                .isEqualTo(200);
        error(server.get("/v1/billing/plan"), 401, "unauthorized");
        error(server.get("/v1/billing/plan", key("rt_live_nope")), 401, "invalid_token");
        error(server.get("/v1/billing/plan?orgId=" + other.orgId(), key(org.adminKey())), 403, "forbidden");
        error(server.get("/v1/billing/plan?orgId=" + UUID.randomUUID(), key(org.adminKey())), 403, "forbidden");
        Answer malformed = server.get("/v1/billing/plan?orgId=not-a-uuid", key(org.adminKey()));
        error(malformed, 400, "bad_request");
        assertThat(detailField(malformed)).isEqualTo("orgId");
        error(server.post("/v1/billing/plan", "{}", key(org.adminKey())), 405, "method_not_allowed");
    }

    // ------------------------------------------------------------------ A2 credits

    @Test
    void credits_show_every_total_and_keep_the_identity_in_cents_and_micros() {
        TestOrg org = server.newOrg("free");
        JsonNode fresh = data(server.get("/v1/billing/credits", key(org.memberKey())));
        assertThat(fields(fresh)).containsExactly("balanceCents", "balanceMicros", "totalGrantedCents",
                "totalGrantedMicros", "totalUsedCents", "totalUsedMicros", "freeCreditsUsed", "expiredCents",
                "expiredMicros", "refundedToCardCents", "refundedToCardMicros", "heldCents", "availableCents");
        assertThat(fresh.path("balanceCents").asLong()).isEqualTo(500);
        assertThat(fresh.path("freeCreditsUsed").asBoolean(true)).isFalse();

        // gpt-5: 1000 input at 125 µ¢, 200 output at 1000 µ¢ = 325 000 µ¢ (0.325 ¢).
        server.app.billing().settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org.orgId()).memberId(org.member().id()).model("gpt-5").inputTokens(1000).outputTokens(200)
                .referenceId("req-1").idempotencyKey("model-" + UUID.randomUUID()).build());
        JsonNode credits = data(server.get("/v1/billing/credits", key(org.memberKey())));

        assertThat(credits.path("balanceMicros").asLong()).isEqualTo(500_000_000L - 325_000L);
        assertThat(credits.path("balanceCents").asLong()).isEqualTo(499);           // 499.675, rounded down
        assertThat(credits.path("availableCents").asLong()).isEqualTo(499);
        assertThat(credits.path("heldCents").asLong()).isZero();
        assertThat(credits.path("totalGrantedCents").asLong()).isEqualTo(500);
        assertThat(credits.path("totalGrantedMicros").asLong()).isEqualTo(500_000_000L);
        assertThat(credits.path("totalUsedMicros").asLong()).isEqualTo(325_000L);
        assertThat(credits.path("totalUsedCents").asLong()).isEqualTo(1);           // the rest of the identity
        assertThat(credits.path("expiredCents").asLong()).isZero();
        assertThat(credits.path("refundedToCardCents").asLong()).isZero();
        assertThat(credits.path("freeCreditsUsed").asBoolean(true)).isFalse();
        assertIdentity(credits);

        // Past the sign-up credit: the balance goes negative (usage is never refused) and the free credit is used.
        deduct(server, org.orgId(), org.admin().id(), 600_000_000L, "support", "ticket-1");
        JsonNode overdrawn = data(server.get("/v1/billing/credits", key(org.adminKey())));
        assertThat(overdrawn.path("balanceMicros").asLong()).isEqualTo(500_000_000L - 325_000L - 600_000_000L);
        assertThat(overdrawn.path("balanceCents").asLong()).isEqualTo(-101);        // -100.325, rounded down
        assertThat(overdrawn.path("availableCents").asLong()).isEqualTo(-101);
        assertThat(overdrawn.path("totalUsedCents").asLong()).isEqualTo(601);
        assertThat(overdrawn.path("freeCreditsUsed").asBoolean(false)).isTrue();
        assertIdentity(overdrawn);

        // The plan summary shows the same figures.
        JsonNode plan = data(server.get("/v1/billing/plan", key(org.memberKey())));
        assertThat(plan.path("balanceCents").asLong()).isEqualTo(-101);
        assertThat(plan.path("totalGrantedCents").asLong()).isEqualTo(500);
        assertThat(plan.path("totalUsedCents").asLong()).isEqualTo(601);
    }

    @Test
    void credits_of_another_org_are_forbidden_and_need_a_key() {
        TestOrg org = server.newOrg("free");
        TestOrg other = server.newOrg("free");

        error(server.get("/v1/billing/credits?orgId=" + other.orgId(), key(org.memberKey())), 403, "forbidden");
        error(server.get("/v1/billing/credits"), 401, "unauthorized");
        assertThat(data(server.get("/v1/billing/credits?orgId=" + org.orgId(), key(org.memberKey())))
                .path("balanceCents").asLong()).isEqualTo(500);
    }

    private static void assertIdentity(JsonNode credits) {
        assertThat(credits.path("balanceCents").asLong()).isEqualTo(credits.path("totalGrantedCents").asLong()
                - credits.path("totalUsedCents").asLong() - credits.path("expiredCents").asLong()
                - credits.path("refundedToCardCents").asLong());
        assertThat(credits.path("balanceMicros").asLong()).isEqualTo(credits.path("totalGrantedMicros").asLong()
                - credits.path("totalUsedMicros").asLong() - credits.path("expiredMicros").asLong()
                - credits.path("refundedToCardMicros").asLong());
    }

    // ------------------------------------------------------------------ A3 history

    @Test
    void history_pages_newest_first_with_an_opaque_cursor_and_entries_chain_exactly() {
        TestOrg org = server.newOrg("free");
        for (int i = 1; i <= 7; i++) {
            deduct(server, org.orgId(), org.member().id(), 1_234_567L * i, "code_exec", "req-" + i);
        }

        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        List<Integer> pageSizes = new ArrayList<>();
        do {
            Answer response = server.get("/v1/billing/credits/history?limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), key(org.memberKey()));
            JsonNode page = response.json();
            assertThat(response.status()).isEqualTo(200);
            assertThat(fields(page.path("meta"))).containsExactly("requestId", "hasMore", "nextCursor");
            pageSizes.add(page.path("data").size());
            entries.addAll(items(page.path("data")));
            boolean hasMore = page.path("meta").path("hasMore").asBoolean();
            cursor = hasMore ? page.path("meta").path("nextCursor").asText() : null;
            if (!hasMore) {
                assertThat(page.path("meta").path("nextCursor").isNull()).isTrue();
            }
        } while (cursor != null && pageSizes.size() < 10);

        assertThat(pageSizes).containsExactly(3, 3, 2);
        assertThat(entries).hasSize(8);
        JsonNode newest = entries.get(0);
        assertThat(fields(newest)).containsExactly("id", "orgId", "type", "amountCents", "amountMicros", "resource",
                "description", "referenceId", "balanceAfterCents", "balanceAfterMicros", "createdAt");
        assertThat(newest.path("orgId").asText()).isEqualTo(org.orgId().toString());
        assertThat(newest.path("type").asText()).isEqualTo("usage");
        assertThat(newest.path("amountMicros").asLong()).isEqualTo(-8_641_969L);     // 7 × 1 234 567
        assertThat(newest.path("amountCents").asLong()).isEqualTo(-9);               // -8.64, half-even
        assertThat(newest.path("resource").asText()).isEqualTo("code_exec");
        assertThat(newest.path("description").asText()).isEqualTo("test debit");
        assertThat(newest.path("referenceId").asText()).isEqualTo("req-7");
        long expectedBalance = 500_000_000L - 1_234_567L * 28;                        // 1 + … + 7 = 28
        assertThat(newest.path("balanceAfterMicros").asLong()).isEqualTo(expectedBalance);
        assertThat(newest.path("balanceAfterCents").asLong()).isEqualTo(Math.floorDiv(expectedBalance, 1_000_000L));
        assertThat(Instant.parse(newest.path("createdAt").asText())).isCloseTo(Instant.now(),
                within(1, ChronoUnit.MINUTES));
        UUID.fromString(newest.path("id").asText());

        JsonNode oldest = entries.get(7);
        assertThat(oldest.path("type").asText()).isEqualTo("signup_grant");
        assertThat(oldest.path("amountCents").asLong()).isEqualTo(500);
        assertThat(oldest.path("resource").asText()).isEmpty();
        assertThat(oldest.path("balanceAfterMicros").asLong()).isEqualTo(500_000_000L);
        for (int i = 0; i < entries.size() - 1; i++) {
            assertThat(entries.get(i).path("balanceAfterMicros").asLong()).as("entry %d chains", i)
                    .isEqualTo(entries.get(i + 1).path("balanceAfterMicros").asLong()
                            + entries.get(i).path("amountMicros").asLong());
        }
        assertThat(entries.stream().map(e -> e.path("id").asText()).distinct()).hasSize(8);
        for (JsonNode entry : entries) {
            // Balances round down, amounts half-even: 498.765433 ¢ after the first debit shows 498, not 499.
            assertThat(entry.path("balanceAfterCents").asLong())
                    .isEqualTo(Math.floorDiv(entry.path("balanceAfterMicros").asLong(), 1_000_000L));
            assertThat(entry.path("amountCents").asLong()).isEqualTo(BigDecimal.valueOf(entry.path("amountMicros")
                    .asLong()).movePointLeft(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact());
        }
        assertThat(entries.get(6).path("balanceAfterCents").asLong()).isEqualTo(498);

        JsonNode whole = server.get("/v1/billing/credits/history", key(org.adminKey())).json();
        assertThat(whole.path("data").size()).isEqualTo(8);
        assertThat(whole.path("meta").path("hasMore").asBoolean(true)).isFalse();
    }

    @Test
    void history_filters_by_type_and_time() {
        TestOrg org = server.newOrg("free");
        Instant before = Instant.now().minusSeconds(60);
        deduct(server, org.orgId(), org.member().id(), 1_000_000L, "tool", "a");
        deduct(server, org.orgId(), null, 2_000_000L, "storage", "b");
        String key = org.memberKey();

        assertThat(types(server.get("/v1/billing/credits/history?type=signup_grant", key(key))))
                .containsExactly("signup_grant");
        assertThat(types(server.get("/v1/billing/credits/history?type=usage", key(key))))
                .containsExactly("usage", "usage");
        assertThat(types(server.get("/v1/billing/credits/history?type=usage,signup_grant", key(key))))
                .containsExactly("usage", "usage", "signup_grant");
        assertThat(types(server.get("/v1/billing/credits/history?type=topup,auto_topup", key(key)))).isEmpty();
        assertThat(types(server.get("/v1/billing/credits/history?from=" + before + "&to="
                + Instant.now().plusSeconds(60), key(key)))).hasSize(3);
        assertThat(types(server.get("/v1/billing/credits/history?from=" + Instant.now().plusSeconds(3600),
                key(key)))).isEmpty();
        assertThat(types(server.get("/v1/billing/credits/history?to=" + before, key(key)))).isEmpty();
    }

    @Test
    void history_refuses_bad_limits_types_times_and_cursors_naming_the_parameter() {
        TestOrg org = server.newOrg("free");
        TestOrg other = server.newOrg("free");
        for (int i = 0; i < 3; i++) {
            deduct(server, other.orgId(), null, 1_000_000L, "tool", "x" + i);
        }
        String key = org.memberKey();

        for (String limit : List.of("0", "501", "-1", "abc", "2.5")) {
            Answer refused = server.get("/v1/billing/credits/history?limit=" + limit, key(key));
            error(refused, 400, "bad_request");
            assertThat(detailField(refused)).as(limit).isEqualTo("limit");
        }
        assertThat(server.get("/v1/billing/credits/history?limit=500", key(key)).status()).isEqualTo(200);
        assertThat(server.get("/v1/billing/credits/history?limit=1", key(key)).status()).isEqualTo(200);
        for (String type : List.of("bogus", "usage,,grant", "USAGE")) {
            Answer refused = server.get("/v1/billing/credits/history?type=" + type, key(key));
            error(refused, 400, "bad_request");
            assertThat(detailField(refused)).as(type).isEqualTo("type");
        }
        Answer badFrom = server.get("/v1/billing/credits/history?from=yesterday", key(key));
        error(badFrom, 400, "bad_request");
        assertThat(detailField(badFrom)).isEqualTo("from");
        Answer badTo = server.get("/v1/billing/credits/history?to=2026-13-01T00:00:00Z", key(key));
        error(badTo, 400, "bad_request");
        assertThat(detailField(badTo)).isEqualTo("to");
        error(server.get("/v1/billing/credits/history?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", key(key)),
                400, "bad_request");
        Answer garbage = server.get("/v1/billing/credits/history?cursor=%25%25%25", key(key));
        error(garbage, 400, "bad_request");
        assertThat(detailField(garbage)).isEqualTo("cursor");
        String foreignCursor = server.get("/v1/billing/credits/history?limit=1", key(other.memberKey())).json()
                .path("meta").path("nextCursor").asText();
        Answer foreign = server.get("/v1/billing/credits/history?cursor=" + foreignCursor, key(key));
        error(foreign, 400, "bad_request");
        assertThat(detailField(foreign)).isEqualTo("cursor");
        error(server.get("/v1/billing/credits/history?limit=5&limit=6", key(key)), 400, "bad_request");
        error(server.get("/v1/billing/credits/history?orgId=" + other.orgId(), key(key)), 403, "forbidden");
        error(server.get("/v1/billing/credits/history"), 401, "unauthorized");
    }

    private static List<String> types(Answer response) {
        return items(data(response)).stream().map(e -> e.path("type").asText()).toList();
    }
}
