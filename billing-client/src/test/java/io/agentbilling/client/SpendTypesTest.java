package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.client.service.CreditCheck;
import io.agentbilling.client.service.Hold;
import io.agentbilling.client.service.HoldStatus;
import io.agentbilling.client.service.LimitKind;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.client.service.SandboxSettle;
import io.agentbilling.client.service.SandboxStart;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The spend-control types on the wire: limit kinds and hold statuses read by their API names (a name a newer server
 * adds parses as {@code UNRECOGNIZED} instead of failing the call), and the key and hold of a settlement written only
 * when set.
 */
class SpendTypesTest {
    @Test
    void limit_kinds_and_hold_statuses_read_their_api_names_and_tolerate_new_ones() throws Exception {
        CreditCheck check = ClientJson.MAPPER.readValue("{\"allowed\":false,\"balanceCents\":5,\"heldCents\":0,"
                + "\"availableCents\":5,\"reason\":\"spend_limit_reached\",\"limitedBy\":\"member_daily\",\"limits\":["
                + "{\"kind\":\"org_balance\",\"limitCents\":5,\"heldCents\":0,\"remainingCents\":5},"
                + "{\"kind\":\"team_weekly\",\"limitCents\":9,\"spentCents\":9,\"heldCents\":0,\"remainingCents\":0}]}",
                CreditCheck.class);
        assertThat(check.limitedBy()).isEqualTo(LimitKind.MEMBER_DAILY);
        assertThat(check.limit(LimitKind.ORG_BALANCE).spentCents()).isNull();
        assertThat(check.limit(LimitKind.UNRECOGNIZED).limitCents()).isEqualTo(9);
        for (LimitKind kind : LimitKind.values()) {
            if (kind != LimitKind.UNRECOGNIZED) {
                assertThat(LimitKind.ofWireName(kind.wireName())).isEqualTo(kind);
            }
        }
        assertThat(LimitKind.ofWireName(null)).isNull();

        Hold hold = ClientJson.MAPPER.readValue("{\"holdId\":\"" + UUID.randomUUID() + "\",\"status\":\"captured\","
                + "\"amountCents\":3,\"capturedCents\":4}", Hold.class);
        assertThat(hold.status()).isEqualTo(HoldStatus.CAPTURED);
        assertThat(HoldStatus.ofWireName("disputed")).isEqualTo(HoldStatus.UNRECOGNIZED);
    }

    @Test
    void a_settlement_names_its_key_and_hold_only_when_set() throws Exception {
        UUID org = UUID.randomUUID();
        UUID member = UUID.randomUUID();
        UUID key = UUID.randomUUID();
        UUID hold = UUID.randomUUID();
        ModelUsage plain = ModelUsage.of(org, member, "gpt-5", 1, 1).withIdempotencyKey("k");
        String json = new String(BillingServiceClient.batchEventJson(plain), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("apiKeyId", "holdId");

        ModelUsage named = plain.withApiKeyId(key).withHoldId(hold);
        com.fasterxml.jackson.databind.JsonNode node = ClientJson.MAPPER.readTree(
                BillingServiceClient.batchEventJson(named));
        assertThat(node.path("apiKeyId").asText()).isEqualTo(key.toString());
        assertThat(node.path("holdId").asText()).isEqualTo(hold.toString());
        assertThat(named.withCachedInputTokens(3).withReferenceId("r").withIdempotencyKey("k2"))
                .as("every with… keeps the key and the hold")
                .extracting(ModelUsage::apiKeyId, ModelUsage::holdId).containsExactly(key, hold);
        assertThat(Rejection.eventOf(new String(BillingServiceClient.batchEventJson(named),
                java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(named);

        assertThat(ClientJson.MAPPER.writeValueAsString(SandboxSettle.of(5, true))).doesNotContain("holdId");
        assertThat(ClientJson.MAPPER.readTree(ClientJson.MAPPER.writeValueAsString(SandboxStart.of(org, member,
                "small").withHoldId(hold))).path("holdId").asText()).isEqualTo(hold.toString());
    }
}
