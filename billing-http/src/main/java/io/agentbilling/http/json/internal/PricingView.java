package io.agentbilling.http.json.internal;

import io.agentbilling.core.money.CreditAmounts;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.money.UnitPrice;
import io.agentbilling.core.pricing.ModelPrice;
import io.agentbilling.core.pricing.Plan;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.core.pricing.ResourcePrice;
import io.agentbilling.http.json.Amounts;
import io.agentbilling.http.json.PlainDecimal;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * One version of the price catalog: the answer of {@code GET /v1/internal/billing/pricing}, and one element of the
 * catalog file's {@code versions} ({@code BILLING_PRICE_CATALOG}), so what the server answers can be fed back to it.
 *
 * <p>Prices are exact decimals written as JSON numbers (never strings, never rounded): model prices in cents per
 * million tokens (which is numerically micros per token), every other price in micros (millionths of a cent) per
 * unit. Maps are keyed by the name callers use (model id, sandbox size, tool, resource).
 */
public record PricingView(
        @JsonPropertyDescription("The version's name, unique in the catalog") @JsonProperty(required = true)
        String version,
        @JsonPropertyDescription("From this instant on, until the next version, these prices apply")
        @JsonProperty(required = true) Instant effectiveFrom,
        @JsonPropertyDescription("Platform model prices by model id") @JsonProperty(required = true)
        Map<String, ModelPriceView> models,
        @JsonPropertyDescription("The price of a Platform model not listed; null: such a model is refused "
                + "(unknown_model)") ModelPriceView defaultModel,
        @JsonPropertyDescription("Sandbox runtime prices by size") @JsonProperty(required = true)
        Map<String, SandboxPriceView> sandboxes,
        @JsonProperty(required = true) StoragePriceView storage,
        @JsonProperty(required = true) ToolPricesView tools,
        @JsonPropertyDescription("Metered resources (code execution, …) by name; default none")
        Map<String, ResourcePriceView> resources,
        @JsonPropertyDescription("The plans an org can be on; must include free, the default plan")
        @JsonProperty(required = true) List<PlanView> plans) {

    /** Cents per million tokens (= micros per token), exact decimals. */
    public record ModelPriceView(
            @JsonSerialize(using = PlainDecimal.class) @JsonProperty(required = true) BigDecimal inputCentsPerMillion,
            @JsonSerialize(using = PlainDecimal.class) @JsonProperty(required = true) BigDecimal outputCentsPerMillion,
            @JsonPropertyDescription("Input tokens served from the prompt cache")
            @JsonSerialize(using = PlainDecimal.class) @JsonProperty(required = true)
            BigDecimal cachedInputCentsPerMillion) {
    }

    public record SandboxPriceView(
            @JsonPropertyDescription("Millionths of a cent per second of runtime")
            @JsonSerialize(using = PlainDecimal.class) @JsonProperty(required = true)
            BigDecimal pricePerSecondMicros) {
    }

    public record StoragePriceView(
            @JsonPropertyDescription("Millionths of a cent per GiB-month (2^30 bytes held for 30 days)")
            @JsonSerialize(using = PlainDecimal.class) @JsonProperty(required = true)
            BigDecimal pricePerGiBMonthMicros) {
    }

    public record ToolPricesView(
            @JsonPropertyDescription("Millionths of a cent per execution of a tool without a price of its own")
            @JsonSerialize(using = PlainDecimal.class) @JsonProperty(required = true)
            BigDecimal pricePerExecutionMicros,
            @JsonPropertyDescription("Tools with a price of their own, by name; default none")
            Map<String, ToolPriceView> overrides) {
    }

    public record ToolPriceView(
            @JsonSerialize(using = PlainDecimal.class) @JsonProperty(required = true)
            BigDecimal pricePerExecutionMicros) {
    }

    public record ResourcePriceView(
            @JsonPropertyDescription("The unit quantities are counted in, e.g. seconds") @JsonProperty(required = true)
            String unit,
            @JsonPropertyDescription("Millionths of a cent per unit")
            @JsonSerialize(using = PlainDecimal.class) @JsonProperty(required = true)
            BigDecimal pricePerUnitMicros) {
    }

    public record PlanView(
            @JsonProperty(required = true) String code,
            @JsonProperty(required = true) String name,
            @JsonPropertyDescription("Credit granted once when an org is created on the plan, in cents")
            long signupGrantCents,
            @JsonPropertyDescription("Days until the sign-up credit expires; 0 = never") int signupGrantDays,
            long storageQuotaBytes) {
    }

    /** The view of a catalog, with every map ordered by name and the plans by quota, then code. */
    public static PricingView of(PriceCatalog catalog) {
        Map<String, ModelPriceView> models = new TreeMap<>();
        catalog.models().forEach((id, price) -> models.put(id, model(price)));
        Map<String, SandboxPriceView> sandboxes = new TreeMap<>();
        catalog.sandboxPricesPerSecond().forEach((size, price) -> sandboxes.put(size,
                new SandboxPriceView(price.microsPerUnit())));
        Map<String, ToolPriceView> tools = new TreeMap<>();
        catalog.toolPriceOverrides().forEach((tool, price) -> tools.put(tool,
                new ToolPriceView(price.microsPerUnit())));
        Map<String, ResourcePriceView> resources = new TreeMap<>();
        catalog.resourcePrices().forEach((name, price) -> resources.put(name,
                new ResourcePriceView(price.unit(), price.price().microsPerUnit())));
        List<PlanView> plans = catalog.plans().values().stream()
                .sorted(Comparator.comparingLong(Plan::storageQuotaBytes).thenComparing(Plan::code))
                .map(p -> new PlanView(p.code(), p.displayName(), Amounts.centsOf(p.signupGrant()),
                        p.signupGrantDays(), p.storageQuotaBytes()))
                .toList();
        return new PricingView(catalog.version(), catalog.effectiveFrom(), models,
                catalog.defaultModelPrice().map(PricingView::model).orElse(null), sandboxes,
                new StoragePriceView(catalog.storagePricePerGiBMonth().microsPerUnit()),
                new ToolPricesView(catalog.toolExecutionPrice().microsPerUnit(), tools), resources, plans);
    }

    /**
     * The catalog this view describes. Every problem is a 400-style {@link BillingException} naming the field
     * (relative to this version): a negative price, a blank name, a plan without a code, no {@code free} plan.
     */
    public PriceCatalog toCatalog() {
        if (version.isBlank()) {
            throw BillingException.invalid("version", "must not be blank");
        }
        List<FieldIssue> issues = new ArrayList<>();
        PriceCatalog.Builder builder = PriceCatalog.builder(version, effectiveFrom);
        eachNamed("models", models, issues, (id, price) -> builder.model(id, modelPrice("models." + id, price, issues)));
        if (defaultModel != null) {
            builder.defaultModel(modelPrice("defaultModel", defaultModel, issues));
        }
        eachNamed("sandboxes", sandboxes, issues, (size, price) -> builder.sandboxPerSecond(size,
                price("sandboxes." + size + ".pricePerSecondMicros", price.pricePerSecondMicros(), issues)));
        builder.storagePerGiBMonth(price("storage.pricePerGiBMonthMicros", storage.pricePerGiBMonthMicros(), issues));
        builder.toolExecution(price("tools.pricePerExecutionMicros", tools.pricePerExecutionMicros(), issues));
        eachNamed("tools.overrides", tools.overrides(), issues, (tool, price) -> builder.tool(tool,
                price("tools.overrides." + tool + ".pricePerExecutionMicros", price.pricePerExecutionMicros(),
                        issues)));
        eachNamed("resources", resources, issues, (name, price) -> {
            String path = "resources." + name;
            if (price.unit().isBlank()) {
                issues.add(new FieldIssue(path + ".unit", "must not be blank"));
            }
            UnitPrice unitPrice = price(path + ".pricePerUnitMicros", price.pricePerUnitMicros(), issues);
            if (!price.unit().isBlank()) {
                builder.resource(name, new ResourcePrice(price.unit(), unitPrice));
            }
        });
        addPlans(builder, issues);
        if (!issues.isEmpty()) {
            FieldIssue first = issues.get(0);
            throw BillingException.invalid(first.field() + " " + first.issue(), issues);
        }
        return builder.build();
    }

    private void addPlans(PriceCatalog.Builder builder, List<FieldIssue> issues) {
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            PlanView plan = plans.get(i);
            String path = "plans[" + i + "]";
            if (plan == null) {
                issues.add(new FieldIssue(path, "must not be null"));
                continue;
            }
            if (plan.code().isBlank() || plan.name().isBlank()) {
                issues.add(new FieldIssue(path, "needs a code and a name"));
                continue;
            }
            if (codes.contains(plan.code())) {
                issues.add(new FieldIssue(path + ".code", "repeats plan " + plan.code()));
                continue;
            }
            if (plan.signupGrantCents() < 0 || plan.signupGrantDays() < 0 || plan.storageQuotaBytes() < 0) {
                issues.add(new FieldIssue(path, "signupGrantCents, signupGrantDays and storageQuotaBytes must be >= 0"));
                continue;
            }
            try {
                builder.plan(new Plan(plan.code(), plan.name(),
                        CreditAmounts.cents(path + ".signupGrantCents", plan.signupGrantCents(),
                                CreditAmounts.Sign.NON_NEGATIVE),
                        plan.signupGrantDays(), plan.storageQuotaBytes()));
                codes.add(plan.code());
            } catch (BillingException e) {
                issues.addAll(e.details());
            }
        }
    }

    private static ModelPrice modelPrice(String path, ModelPriceView view, List<FieldIssue> issues) {
        return new ModelPrice(price(path + ".inputCentsPerMillion", view.inputCentsPerMillion(), issues),
                price(path + ".outputCentsPerMillion", view.outputCentsPerMillion(), issues),
                price(path + ".cachedInputCentsPerMillion", view.cachedInputCentsPerMillion(), issues));
    }

    private static UnitPrice price(String path, BigDecimal value, List<FieldIssue> issues) {
        if (value.signum() < 0) {
            issues.add(new FieldIssue(path, "must be >= 0"));
            return UnitPrice.FREE;
        }
        return new UnitPrice(value);
    }

    private static ModelPriceView model(ModelPrice price) {
        return new ModelPriceView(price.input().microsPerUnit(), price.output().microsPerUnit(),
                price.cachedInput().microsPerUnit());
    }

    private static <V> void eachNamed(String path, Map<String, V> map, List<FieldIssue> issues,
                                      BiConsumer<String, V> add) {
        if (map == null) {
            return;
        }
        map.forEach((name, value) -> {
            if (name.isBlank()) {
                issues.add(new FieldIssue(path, "has a blank name"));
            } else if (value == null) {
                issues.add(new FieldIssue(path + "." + name, "must not be null"));
            } else {
                add.accept(name, value);
            }
        });
    }
}
