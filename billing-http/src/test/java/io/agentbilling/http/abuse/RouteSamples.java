package io.agentbilling.http.abuse;

import static io.agentbilling.http.support.Envelopes.parse;

import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A valid request for each route that takes a body or path parameters, and the documented range of each of its
 * integer fields: the bad-input suite mutates these one field at a time. A route that takes a JSON body must have
 * an entry here (the suite fails otherwise), so a new route cannot slip past the field-by-field attack.
 */
final class RouteSamples {
    static final long MAX_CENTS = 100_000_000_000L;
    static final long MAX_MICROS = MAX_CENTS * 1_000_000L;
    static final long TOPUP_MAX_CENTS = 1_000_000L;

    /** Where a route's sample gets its idempotency key: each use gets a fresh one. */
    static final String KEY = "__KEY__";

    /**
     * An inclusive range of an integer field; {@code null} bounds are "none documented". {@code without} names
     * fields to drop from the sample for this field's cases (e.g. the other of two exclusive amounts).
     */
    record Range(String field, Long min, Long max, List<String> without) {
        static Range of(String field, Long min, Long max, String... without) {
            return new Range(field, min, max, List.of(without));
        }
    }

    /**
     * A valid request: its concrete path (path parameters filled in) and its JSON body ({@link #KEY} where the
     * idempotency key goes; null for a route without a body).
     */
    record Sample(String path, String json, List<Range> ranges) {
        ObjectNode body(String idempotencyKey) {
            try {
                return (ObjectNode) Json.mapper().readTree(json.replace(KEY, idempotencyKey));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final Map<String, Sample> byRoute = new HashMap<>();

    /**
     * Webhook endpoints of the samples' org, each for routes that cannot share one: {@code read} for reading,
     * {@code deleted} for the delete route, {@code withDelivery} for the deliveries and their retry, with
     * {@code deliveryId} a pending delivery of a real {@code balance.low} event to it. The URL never resolves, so the
     * delivery stays pending.
     */
    record Webhooks(UUID read, UUID deleted, UUID withDelivery, UUID deliveryId) {
        /** Ids of nothing, for samples whose webhook routes are never called (they answer 404). */
        static Webhooks none() {
            return new Webhooks(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        }
    }

    /** Registers the endpoints of {@link Webhooks} through the API and causes one event for them. */
    static Webhooks webhooks(TestApplication app, TestOrg org) {
        String admin = org.adminKey();
        UUID read = endpoint(app, admin);
        UUID deleted = endpoint(app, admin);
        UUID withDelivery = endpoint(app, admin);
        String suffix = UUID.randomUUID().toString();
        expect(app.internalPost("/v1/internal/orgs/" + org.orgId() + "/grants",
                "{\"amountCents\": 1000, \"idempotencyKey\": \"webhook-sample-grant-" + suffix + "\"}"), 201, 200);
        long balance = parse(expect(app.get("/v1/billing/credits", "X-API-Key", admin), 200).body())
                .path("data").path("balanceCents").asLong();
        expect(app.put("/v1/billing/settings", "{\"balanceLowThresholdCents\": " + balance + "}", "X-API-Key", admin),
                200);
        expect(app.internalPost("/v1/internal/billing/deductions", "{\"orgId\": \"" + org.orgId()
                + "\", \"memberId\": \"" + org.member().id() + "\", \"amountCents\": 1, \"resource\": \"code_exec\","
                + " \"idempotencyKey\": \"webhook-sample-deduction-" + suffix + "\"}"), 200, 201);
        JsonNode deliveries = parse(expect(app.get("/v1/billing/webhook-endpoints/" + withDelivery
                + "/deliveries", "X-API-Key", admin), 200).body()).path("data");
        if (deliveries.size() != 1) {
            throw new IllegalStateException("expected one delivery of balance.low, got " + deliveries);
        }
        return new Webhooks(read, deleted, withDelivery, UUID.fromString(deliveries.get(0).path("id").asText()));
    }

    private static UUID endpoint(TestApplication app, String adminKey) {
        Answer created = expect(app.post("/v1/billing/webhook-endpoints",
                "{\"url\": \"https://hooks.example.invalid/billing\", \"events\": [\"balance.low\"]}",
                "X-API-Key", adminKey), 201);
        return UUID.fromString(parse(created.body()).path("data").path("id").asText());
    }

    private static Answer expect(Answer response, int... statuses) {
        for (int status : statuses) {
            if (response.status() == status) {
                return response;
            }
        }
        throw new IllegalStateException("sample setup failed: " + response.status() + " " + response.body());
    }

    /**
     * @param org        the org every sample acts on (its admin calls the public routes)
     * @param sandboxId  an open sandbox meter of the org, started an hour ago
     * @param apiKeyId   a key of the org's member, to revoke
     * @param holdId     an active hold of the org, to read and release
     */
    RouteSamples(TestOrg org, String sandboxId, UUID apiKeyId, UUID holdId, Webhooks webhooks) {
        String o = org.orgId().toString();
        String m = org.member().id().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String hourAgo = now.minus(1, ChronoUnit.HOURS).toString();
        String minuteAgo = now.minus(1, ChronoUnit.MINUTES).toString();
        String sandboxes = "/v1/internal/billing/sandbox-runtime/";

        put("POST /v1/billing/session", "/v1/billing/session", "{\"apiKey\": \"" + org.memberKey() + "\"}");
        put("PUT /v1/billing/auto-topup", "/v1/billing/auto-topup",
                "{\"thresholdCents\": 1000, \"topupAmountCents\": 2500, \"targetBalanceCents\": 5000,"
                        + " \"monthlyCapCents\": 100000}",
                Range.of("thresholdCents", 0L, TOPUP_MAX_CENTS), Range.of("topupAmountCents", 500L, TOPUP_MAX_CENTS),
                Range.of("targetBalanceCents", 1L, TOPUP_MAX_CENTS), Range.of("monthlyCapCents", 0L, MAX_CENTS));
        put("POST /v1/billing/topup", "/v1/billing/topup",
                "{\"amountCents\": 500, \"successUrl\": \"https://app.example.com/billing/done\","
                        + " \"cancelUrl\": \"https://app.example.com/billing\"}",
                Range.of("amountCents", 500L, TOPUP_MAX_CENTS));
        put("PUT /v1/billing/budgets/members/{memberId}", "/v1/billing/budgets/members/" + m,
                "{\"monthlyLimitCents\": 100000, \"dailyLimitCents\": 50000}",
                Range.of("monthlyLimitCents", 0L, MAX_CENTS), Range.of("dailyLimitCents", 0L, MAX_CENTS));
        put("PUT /v1/billing/settings", "/v1/billing/settings",
                "{\"countByokTowardBudgets\": false, \"balanceLowThresholdCents\": 1000}",
                Range.of("balanceLowThresholdCents", 0L, MAX_CENTS));
        String hooks = "/v1/billing/webhook-endpoints/";
        put("POST /v1/billing/webhook-endpoints", "/v1/billing/webhook-endpoints",
                "{\"url\": \"https://hooks.example.invalid/sample\", \"events\": [\"balance.low\", \"hold.expired\"]}");
        put("GET /v1/billing/webhook-endpoints/{endpointId}", hooks + webhooks.read(), null);
        put("DELETE /v1/billing/webhook-endpoints/{endpointId}", hooks + webhooks.deleted(), null);
        put("GET /v1/billing/webhook-endpoints/{endpointId}/deliveries", hooks + webhooks.withDelivery()
                + "/deliveries", null);
        put("POST /v1/billing/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/retry", hooks
                + webhooks.withDelivery() + "/deliveries/" + webhooks.deliveryId() + "/retry", "{}");
        put("PUT /v1/internal/orgs/{orgId}/api-keys/{keyId}/cap",
                "/v1/internal/orgs/" + o + "/api-keys/" + apiKeyId + "/cap",
                "{\"monthlyCapCents\": 100000, \"lifetimeCapCents\": 1000000}",
                Range.of("monthlyCapCents", 0L, MAX_CENTS), Range.of("lifetimeCapCents", 0L, MAX_CENTS));
        put("POST /v1/internal/billing/holds", "/v1/internal/billing/holds",
                "{\"orgId\": \"" + o + "\", \"memberId\": \"" + m + "\", \"amountCents\": 1, \"ttlSeconds\": 60,"
                        + " \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("amountCents", 1L, MAX_CENTS), Range.of("ttlSeconds", 1L, 604_800L));
        put("GET /v1/internal/billing/holds/{holdId}", "/v1/internal/billing/holds/" + holdId, null);
        put("DELETE /v1/internal/billing/holds/{holdId}", "/v1/internal/billing/holds/" + holdId, null);
        put("POST /v1/internal/billing/credit-check", "/v1/internal/billing/credit-check",
                "{\"orgId\": \"" + o + "\", \"memberId\": \"" + m + "\", \"apiKeyId\": \"" + apiKeyId
                        + "\", \"estimatedCents\": 100}",
                Range.of("estimatedCents", 0L, MAX_CENTS));
        put("POST /v1/internal/billing/deductions", "/v1/internal/billing/deductions",
                "{\"orgId\": \"" + o + "\", \"memberId\": \"" + m + "\", \"amountCents\": 1, \"resource\": \"code_exec\","
                        + " \"description\": \"a deduction\", \"referenceId\": \"ref-1\", \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("amountCents", 1L, MAX_CENTS), Range.of("amountMicros", 1L, MAX_MICROS, "amountCents"));
        put("POST /v1/internal/billing/model-usage", "/v1/internal/billing/model-usage",
                "{\"orgId\": \"" + o + "\", \"memberId\": \"" + m + "\", \"model\": \"gpt-5\", \"inputTokens\": 1000,"
                        + " \"outputTokens\": 100, \"cachedInputTokens\": 10, \"byok\": false, \"referenceId\": \"call-1\","
                        + " \"occurredAt\": \"" + minuteAgo + "\", \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("inputTokens", 0L, null), Range.of("outputTokens", 0L, null),
                Range.of("cachedInputTokens", 0L, null));
        put("POST /v1/internal/billing/tool-executions", "/v1/internal/billing/tool-executions",
                "{\"orgId\": \"" + o + "\", \"memberId\": \"" + m + "\", \"tool\": \"web_search\", \"count\": 2,"
                        + " \"referenceId\": \"tool-1\", \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("count", 1L, null));
        put("POST /v1/internal/billing/storage/usage", "/v1/internal/billing/storage/usage",
                "{\"orgId\": \"" + o + "\", \"workspaceId\": \"ws-1\", \"memberId\": \"" + m + "\", \"byteSeconds\": 1000000,"
                        + " \"from\": \"" + hourAgo + "\", \"to\": \"" + minuteAgo + "\", \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("byteSeconds", 0L, null));
        put("POST /v1/internal/billing/resource-charges", "/v1/internal/billing/resource-charges",
                "{\"orgId\": \"" + o + "\", \"memberId\": \"" + m + "\", \"resource\": \"code_exec\", \"quantity\": 3,"
                        + " \"unit\": \"seconds\", \"description\": \"ran code\", \"referenceId\": \"exec-1\","
                        + " \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("quantity", 1L, null), Range.of("amountCents", 0L, MAX_CENTS));
        put("POST /v1/internal/billing/sandbox-runtime/quote", sandboxes + "quote",
                "{\"orgId\": \"" + o + "\", \"size\": \"small\", \"seconds\": 60}",
                Range.of("seconds", 1L, null));
        put("POST /v1/internal/billing/sandbox-runtime/{sandboxId}/start", sandboxes + "sb-abuse-new/start",
                "{\"orgId\": \"" + o + "\", \"memberId\": \"" + m + "\", \"size\": \"small\", \"startedAt\": \""
                        + minuteAgo + "\", \"idempotencyKey\": \"" + KEY + "\"}");
        put("POST /v1/internal/billing/sandbox-runtime/{sandboxId}/heartbeat", sandboxes + sandboxId + "/heartbeat",
                "{\"at\": \"" + minuteAgo + "\"}");
        put("POST /v1/internal/billing/sandbox-runtime/{sandboxId}/settle", sandboxes + sandboxId + "/settle",
                "{\"seconds\": 1, \"forgivenSeconds\": 0, \"final\": false, \"idempotencyKey\": \"" + KEY + "\"}",
                // Both at most 366 days per call (400 past it), but only elapsed time can be settled (422): a year is
                // out of reach of a sandbox started an hour ago, so the upper bound is not one a sample can meet.
                Range.of("seconds", 1L, null), Range.of("forgivenSeconds", 0L, null));
        put("POST /v1/internal/billing/storage/quota", "/v1/internal/billing/storage/quota",
                "{\"orgId\": \"" + o + "\", \"workspaceId\": \"ws-1\", \"currentBytes\": 0, \"requestedBytes\": 10}",
                Range.of("currentBytes", 0L, null), Range.of("requestedBytes", 0L, null));
        put("POST /v1/internal/billing/usage-events:batch", "/v1/internal/billing/usage-events:batch",
                "{\"events\": [{\"type\": \"deduction\", \"orgId\": \"" + o + "\", \"amountCents\": 1,"
                        + " \"resource\": \"code_exec\", \"idempotencyKey\": \"" + KEY + "\"}]}");
        put("POST /v1/internal/orgs", "/v1/internal/orgs",
                "{\"name\": \"Abuse org\", \"plan\": \"free\", \"signupGrantCents\": 0, \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("signupGrantCents", 0L, MAX_CENTS));
        put("POST /v1/internal/orgs/{orgId}/members", "/v1/internal/orgs/" + o + "/members",
                "{\"email\": \"new@example.com\", \"role\": \"member\"}");
        put("POST /v1/internal/orgs/{orgId}/api-keys", "/v1/internal/orgs/" + o + "/api-keys",
                "{\"memberId\": \"" + m + "\", \"name\": \"ci key\", \"test\": true, \"expiresAt\": \""
                        + now.plus(30, ChronoUnit.DAYS) + "\", \"monthlyCapCents\": 1000, \"lifetimeCapCents\": 5000}",
                Range.of("monthlyCapCents", 0L, MAX_CENTS), Range.of("lifetimeCapCents", 0L, MAX_CENTS));
        put("DELETE /v1/internal/orgs/{orgId}/api-keys/{keyId}", "/v1/internal/orgs/" + o + "/api-keys/" + apiKeyId,
                null);
        put("POST /v1/internal/orgs/{orgId}/grants", "/v1/internal/orgs/" + o + "/grants",
                "{\"amountCents\": 100, \"expiresAt\": \"" + now.plus(365, ChronoUnit.DAYS) + "\", \"description\": \"promo\","
                        + " \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("amountCents", 1L, MAX_CENTS));
        put("POST /v1/internal/orgs/{orgId}/adjustments", "/v1/internal/orgs/" + o + "/adjustments",
                "{\"amountCents\": 100, \"reason\": \"a correction\", \"idempotencyKey\": \"" + KEY + "\"}",
                Range.of("amountCents", -MAX_CENTS, MAX_CENTS));
    }

    private void put(String route, String path, String json, Range... ranges) {
        byRoute.put(route, new Sample(path, json, List.of(ranges)));
    }

    Optional<Sample> of(String route) {
        return Optional.ofNullable(byRoute.get(route));
    }
}
