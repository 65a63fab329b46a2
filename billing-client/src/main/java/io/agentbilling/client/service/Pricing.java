package io.agentbilling.client.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The price catalog in force ({@code GET /v1/internal/billing/pricing}). Prices are exact decimals: model prices in
 * cents per million tokens, every other price in micros (millionths of a cent) per unit.
 *
 * @param defaultModel the price of a Platform model not in {@code models}; null: such a model is refused
 */
public record Pricing(String version, Instant effectiveFrom, Map<String, ModelPrice> models, ModelPrice defaultModel,
                      Map<String, SandboxPrice> sandboxes, StoragePrice storage, ToolPrices tools,
                      Map<String, ResourcePrice> resources, List<PlanInfo> plans) {

    public record ModelPrice(BigDecimal inputCentsPerMillion, BigDecimal outputCentsPerMillion,
                             BigDecimal cachedInputCentsPerMillion) {
    }

    public record SandboxPrice(BigDecimal pricePerSecondMicros) {
    }

    public record StoragePrice(BigDecimal pricePerGiBMonthMicros) {
    }

    public record ToolPrices(BigDecimal pricePerExecutionMicros, Map<String, ToolPrice> overrides) {
    }

    public record ToolPrice(BigDecimal pricePerExecutionMicros) {
    }

    public record ResourcePrice(String unit, BigDecimal pricePerUnitMicros) {
    }

    /** @param signupGrantDays days until the sign-up credit expires; 0 = never */
    public record PlanInfo(String code, String name, long signupGrantCents, int signupGrantDays,
                           long storageQuotaBytes) {
    }
}
