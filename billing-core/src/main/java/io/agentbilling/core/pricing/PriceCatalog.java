package io.agentbilling.core.pricing;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of the price list, in force from {@code effectiveFrom} until the next version (see
 * {@link io.agentbilling.core.port.VersionedPriceBook}), and the rating functions that turn quantities into charges. Every charge is computed
 * exactly and rounded once, half-even, to the micro; a charge that does not fit a {@code long} of micros is refused
 * ({@link BillingError#UNPROCESSABLE}), never wrapped around. Immutable and thread-safe; build it with
 * {@link #builder(String, Instant)}.
 */
public final class PriceCatalog {
    /**
     * The largest charge one settlement may come to, in micros: one billion dollars, the bound on any amount a caller
     * names ({@link CreditAmounts#MAX_MICROS}). Far above any real usage, and far enough below a {@code long} of
     * micros that no plausible sum of such charges overflows an account.
     */
    public static final long MAX_CHARGE_MICROS = CreditAmounts.MAX_MICROS;
    private static final BigDecimal MAX_CHARGE = BigDecimal.valueOf(MAX_CHARGE_MICROS);
    /** 1 GiB = 2^30 bytes. */
    public static final long BYTES_PER_GIB = 1L << 30;
    /** Storage is priced per GiB-month, and a billing month is 30 days. */
    public static final long SECONDS_PER_MONTH = 30L * 24 * 3600;

    private static final BigDecimal BYTE_SECONDS_PER_GIB_MONTH =
            new BigDecimal(BigInteger.valueOf(BYTES_PER_GIB).multiply(BigInteger.valueOf(SECONDS_PER_MONTH)));

    private final String version;
    private final Instant effectiveFrom;
    private final Map<String, ModelPrice> models;
    private final ModelPrice defaultModel;
    private final Map<String, UnitPrice> sandboxPerSecond;
    private final UnitPrice storagePerGiBMonth;
    private final UnitPrice toolExecution;
    private final Map<String, UnitPrice> toolOverrides;
    private final Map<String, ResourcePrice> resources;
    private final Map<String, Plan> plans;

    private PriceCatalog(Builder b) {
        this.version = b.version;
        this.effectiveFrom = b.effectiveFrom;
        this.models = Map.copyOf(b.models);
        this.defaultModel = b.defaultModel;
        this.sandboxPerSecond = Map.copyOf(b.sandboxPerSecond);
        this.storagePerGiBMonth = Objects.requireNonNull(b.storagePerGiBMonth, "storagePerGiBMonth");
        this.toolExecution = Objects.requireNonNull(b.toolExecution, "toolExecution (the default tool price)");
        this.toolOverrides = Map.copyOf(b.toolOverrides);
        this.resources = Map.copyOf(b.resources);
        this.plans = Map.copyOf(b.plans);
    }

    /**
     * A builder at the defaults.
     *
     * @param version the version name
     * @param effectiveFrom when it takes effect
     */
    public static Builder builder(String version, Instant effectiveFrom) {
        return new Builder(version, effectiveFrom);
    }

    public String version() {
        return version;
    }

    public Instant effectiveFrom() {
        return effectiveFrom;
    }

    /**
     * Per-model prices by model id (the exact id callers report).
     */
    public Map<String, ModelPrice> models() {
        return models;
    }

    /**
     * The price of a Platform model the catalog does not list; empty = such a model is refused.
     */
    public Optional<ModelPrice> defaultModelPrice() {
        return Optional.ofNullable(defaultModel);
    }

    /**
     * The price of a Platform model: its own, else the default, else {@link BillingError#UNKNOWN_MODEL}.
     *
     * @param model the model id
     */
    public ModelPrice modelPrice(String model) {
        ModelPrice price = models.getOrDefault(model, defaultModel);
        if (price == null) {
            throw BillingException.of(BillingError.UNKNOWN_MODEL, "no Platform price for model " + model);
        }
        return price;
    }

    /**
     * The sandbox prices per second.
     *
     * @return the sandbox prices per second
     */
    public Map<String, UnitPrice> sandboxPricesPerSecond() {
        return sandboxPerSecond;
    }

    /**
     * The per-second price of a sandbox size; an unknown size is {@link BillingError#UNPROCESSABLE}.
     *
     * @param size the sandbox size
     * @return the sandbox price per second
     */
    public UnitPrice sandboxPricePerSecond(String size) {
        UnitPrice price = sandboxPerSecond.get(size);
        if (price == null) {
            throw BillingException.of(BillingError.UNPROCESSABLE, "unknown sandbox size " + size);
        }
        return price;
    }

    /**
     * The storage price per gi b month.
     *
     * @return the storage price per gi b month
     */
    public UnitPrice storagePricePerGiBMonth() {
        return storagePerGiBMonth;
    }

    /**
     * The storage price per byte-second, for display only (to 34 significant digits); charges use the exact
     * fraction, see {@link #chargeForStorage(long)}.
     *
     * @return the storage micros per byte second
     */
    public BigDecimal storageMicrosPerByteSecond() {
        return storagePerGiBMonth.microsPerUnit().divide(BYTE_SECONDS_PER_GIB_MONTH, MathContext.DECIMAL128);
    }

    /**
     * The price of one execution of a tool that has no price of its own.
     */
    public UnitPrice toolExecutionPrice() {
        return toolExecution;
    }

    public Map<String, UnitPrice> toolPriceOverrides() {
        return toolOverrides;
    }

    public UnitPrice toolPrice(String tool) {
        return toolOverrides.getOrDefault(tool, toolExecution);
    }

    public Map<String, ResourcePrice> resourcePrices() {
        return resources;
    }

    /**
     * The price of a metered resource; an unknown resource is {@link BillingError#UNPROCESSABLE}.
     *
     * @param resource what was charged
     */
    public ResourcePrice resourcePrice(String resource) {
        ResourcePrice price = resources.get(resource);
        if (price == null) {
            throw BillingException.of(BillingError.UNPROCESSABLE, "no price for resource " + resource);
        }
        return price;
    }

    public Map<String, Plan> plans() {
        return plans;
    }

    public Optional<Plan> plan(String code) {
        return Optional.ofNullable(plans.get(code));
    }

    /**
     * A model call's charge: zero for BYOK (the customer's own key paid the provider); otherwise the exact sum of
     * the three token products, rounded once.
     *
     * @param model the model id
     * @param byok whether the caller's own provider key paid
     * @param inputTokens uncached input tokens
     * @param cachedInputTokens input tokens served from the prompt cache
     */
    public Credits chargeForModel(String model, boolean byok, long inputTokens, long outputTokens,
                                  long cachedInputTokens) {
        requireNonNegative(inputTokens, outputTokens, cachedInputTokens);
        if (byok) {
            return Credits.ZERO;
        }
        ModelPrice price = modelPrice(model);
        BigDecimal exact = price.input().exactMicros(inputTokens)
                .add(price.output().exactMicros(outputTokens))
                .add(price.cachedInput().exactMicros(cachedInputTokens));
        return rounded(exact);
    }

    /**
     * @param size the sandbox size
     * @param seconds runtime seconds
     */
    public Credits chargeForSandbox(String size, long seconds) {
        requireNonNegative(seconds);
        return rounded(sandboxPricePerSecond(size).exactMicros(seconds));
    }

    /**
     * Storage for {@code byteSeconds}: perGiBMonth × byteSeconds / (2^30 × 2 592 000), divided exactly and rounded
     * once (the per-byte-second price is not a finite decimal, so it is never materialized).
     */
    public Credits chargeForStorage(long byteSeconds) {
        requireNonNegative(byteSeconds);
        BigDecimal numerator = storagePerGiBMonth.exactMicros(byteSeconds);
        BigDecimal micros = numerator.divide(BYTE_SECONDS_PER_GIB_MONTH, 0, RoundingMode.HALF_EVEN);
        return rounded(micros);
    }

    public Credits chargeForTool(String tool, long count) {
        requireNonNegative(count);
        return rounded(toolPrice(tool).exactMicros(count));
    }

    /**
     * A metered resource; the unit must be the one the catalog prices it in ({@link BillingError#UNPROCESSABLE}).
     *
     * @param resource what was charged
     */
    public Credits chargeForResource(String resource, long quantity, String unit) {
        requireNonNegative(quantity);
        ResourcePrice price = resourcePrice(resource);
        if (!price.unit().equals(unit)) {
            throw BillingException.of(BillingError.UNPROCESSABLE,
                    "resource " + resource + " is priced per " + price.unit() + ", not per " + unit);
        }
        return rounded(price.price().exactMicros(quantity));
    }

    /** The charge, rounded once; past {@link #MAX_CHARGE_MICROS} it is refused, as no real usage costs that. */
    private static Credits rounded(BigDecimal exactMicros) {
        if (exactMicros.compareTo(MAX_CHARGE) > 0) {
            throw BillingException.of(BillingError.UNPROCESSABLE, "the charge is too large to record: more than "
                    + MAX_CHARGE_MICROS / Credits.MICROS_PER_CENT + " cents in one settlement");
        }
        return Credits.roundHalfEvenToMicros(exactMicros);
    }

    private static void requireNonNegative(long... quantities) {
        for (long q : quantities) {
            if (q < 0) {
                throw new IllegalArgumentException("quantities cannot be negative: " + q);
            }
        }
    }

    @Override
    public String toString() {
        return "PriceCatalog[" + version + " from " + effectiveFrom + "]";
    }

    /** Collects a catalog's prices; {@link #build()} checks that the storage and default tool prices are set. */
    public static final class Builder {
        private final String version;
        private final Instant effectiveFrom;
        private final Map<String, ModelPrice> models = new LinkedHashMap<>();
        private final Map<String, UnitPrice> sandboxPerSecond = new LinkedHashMap<>();
        private final Map<String, UnitPrice> toolOverrides = new LinkedHashMap<>();
        private final Map<String, ResourcePrice> resources = new LinkedHashMap<>();
        private final Map<String, Plan> plans = new LinkedHashMap<>();
        private ModelPrice defaultModel;
        private UnitPrice storagePerGiBMonth;
        private UnitPrice toolExecution;

        private Builder(String version, Instant effectiveFrom) {
            Objects.requireNonNull(version, "version");
            if (version.isBlank()) {
                throw new IllegalArgumentException("a catalog version cannot be blank");
            }
            this.version = version;
            this.effectiveFrom = Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        }

        public Builder model(String id, ModelPrice price) {
            putOnce(models, id, price, "model");
            return this;
        }

        public Builder defaultModel(ModelPrice price) {
            this.defaultModel = Objects.requireNonNull(price, "price");
            return this;
        }

        /**
         * @param size the sandbox size
         */
        public Builder sandboxPerSecond(String size, UnitPrice price) {
            putOnce(sandboxPerSecond, size, price, "sandbox size");
            return this;
        }

        /**
         * Storage per gi b month.
         *
         * @return the storage per gi b month
         */
        public Builder storagePerGiBMonth(UnitPrice price) {
            this.storagePerGiBMonth = Objects.requireNonNull(price, "price");
            return this;
        }

        /**
         * The price of one execution of any tool without an override.
         */
        public Builder toolExecution(UnitPrice price) {
            this.toolExecution = Objects.requireNonNull(price, "price");
            return this;
        }

        public Builder tool(String name, UnitPrice price) {
            putOnce(toolOverrides, name, price, "tool");
            return this;
        }

        public Builder resource(String name, ResourcePrice price) {
            putOnce(resources, name, price, "resource");
            return this;
        }

        public Builder plan(Plan plan) {
            putOnce(plans, plan.code(), plan, "plan");
            return this;
        }

        /**
         * The catalog.
         *
         * @return an immutable catalog of what was set
         * @throws BillingException {@code BAD_REQUEST} naming {@code plans} when the catalog does not offer the plan
         *                          {@value Plan#DEFAULT_CODE}, the plan of an org created without one
         */
        public PriceCatalog build() {
            PriceCatalog catalog = new PriceCatalog(this);
            if (!plans.containsKey(Plan.DEFAULT_CODE)) {
                throw BillingException.invalid("plans", "must include the plan " + Plan.DEFAULT_CODE
                        + " (the plan of an org created without one)");
            }
            return catalog;
        }

        private static <V> void putOnce(Map<String, V> map, String key, V value, String what) {
            Objects.requireNonNull(key, what);
            Objects.requireNonNull(value, what + " price");
            if (key.isBlank()) {
                throw new IllegalArgumentException("a " + what + " name cannot be blank");
            }
            if (map.putIfAbsent(key, value) != null) {
                throw new IllegalArgumentException(what + " " + key + " is priced twice");
            }
        }
    }
}
