package io.agentbilling.core.pricing;

import io.agentbilling.core.error.FieldIssue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import java.math.BigDecimal;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class PriceCatalogTest {
    /** 2^30 × 2 592 000: the byte-seconds in one GiB-month. */
    private static final long GIB_MONTH = PriceCatalog.BYTES_PER_GIB * PriceCatalog.SECONDS_PER_MONTH;

    private static final Plan FREE = new Plan(Plan.DEFAULT_CODE, "Free", Credits.ZERO, 0, 0);

    private static PriceCatalog.Builder base() {
        return PriceCatalog.builder("t", Instant.EPOCH).plan(FREE)
                .storagePerGiBMonth(UnitPrice.microsPerUnit("10000000"))
                .toolExecution(UnitPrice.microsPerUnit("100000"));
    }

    private static PriceCatalog halfMicroModel() {
        return base().model("half", ModelPrice.centsPerMillion("0.5", "0.5", "0.5")).build();
    }

    private static void assertRefused(ThrowingCallable call, BillingError error) {
        assertThatThrownBy(call).isInstanceOf(BillingException.class)
                .extracting(e -> ((BillingException) e).error()).isEqualTo(error);
    }

    @Test
    void a_charge_exactly_between_two_micros_rounds_to_the_even_one() {
        PriceCatalog catalog = halfMicroModel();
        assertThat(catalog.chargeForModel("half", false, 1, 0, 0)).isEqualTo(Credits.ofMicros(0));
        assertThat(catalog.chargeForModel("half", false, 3, 0, 0)).isEqualTo(Credits.ofMicros(2));
        assertThat(catalog.chargeForModel("half", false, 5, 0, 0)).isEqualTo(Credits.ofMicros(2));
        assertThat(catalog.chargeForModel("half", false, 7, 0, 0)).isEqualTo(Credits.ofMicros(4));
    }

    @Test
    void the_three_token_products_are_summed_before_the_one_rounding() {
        // 0.5 + 0.5 + 0.5 = 1.5 → 2; rounding each product first would give 0 + 0 + 0.
        assertThat(halfMicroModel().chargeForModel("half", false, 1, 1, 1)).isEqualTo(Credits.ofMicros(2));
    }

    @Test
    void sub_cent_token_prices_are_exact() {
        PriceCatalog catalog = DefaultCatalog.create();
        // gpt-5: 125 µ¢ input, 1000 output, 12.5 cached per token.
        assertThat(catalog.chargeForModel("gpt-5", false, 1_000, 200, 3)).isEqualTo(Credits.ofMicros(
                125_000 + 200_000 + 38)); // 37.5 → 38 (even)
        assertThat(catalog.chargeForModel("gpt-5", false, 1_000_000, 0, 0)).isEqualTo(Credits.ofCents(125));
        // gemini-2.5-flash cached: 7.5 µ¢ → one token is 7.5 → 8, two are exactly 15.
        assertThat(catalog.chargeForModel("gemini-2.5-flash", false, 0, 0, 1)).isEqualTo(Credits.ofMicros(8));
        assertThat(catalog.chargeForModel("gemini-2.5-flash", false, 0, 0, 2)).isEqualTo(Credits.ofMicros(15));
    }

    @Test
    void byok_calls_cost_nothing_even_for_models_without_a_price() {
        PriceCatalog catalog = DefaultCatalog.create();
        assertThat(catalog.chargeForModel("gpt-5", true, 1_000, 1_000, 1_000)).isEqualTo(Credits.ZERO);
        assertThat(catalog.chargeForModel("my-own-finetune", true, 10, 10, 0)).isEqualTo(Credits.ZERO);
    }

    @Test
    void an_unknown_platform_model_is_refused_unless_there_is_a_default_price() {
        assertRefused(() -> DefaultCatalog.create().chargeForModel("nope", false, 1, 1, 0), BillingError.UNKNOWN_MODEL);
        PriceCatalog withDefault = base().defaultModel(ModelPrice.centsPerMillion("100", "200", "10")).build();
        assertThat(withDefault.chargeForModel("nope", false, 1, 1, 1)).isEqualTo(Credits.ofMicros(310));
    }

    @Test
    void a_model_price_of_its_own_beats_the_default() {
        PriceCatalog catalog = base().defaultModel(ModelPrice.centsPerMillion("100", "100", "100"))
                .model("m", ModelPrice.centsPerMillion("1", "1", "1")).build();
        assertThat(catalog.chargeForModel("m", false, 1, 0, 0)).isEqualTo(Credits.ofMicros(1));
    }

    @Test
    void a_gib_month_of_storage_costs_exactly_the_monthly_price() {
        PriceCatalog catalog = DefaultCatalog.create();
        assertThat(catalog.chargeForStorage(GIB_MONTH)).isEqualTo(Credits.ofCents(10));
        assertThat(catalog.chargeForStorage(GIB_MONTH / 2)).isEqualTo(Credits.ofCents(5));
        assertThat(catalog.chargeForStorage(0)).isEqualTo(Credits.ZERO);
    }

    @Test
    void storage_rounds_once_half_even_on_the_exact_fraction() {
        PriceCatalog oneMicro = PriceCatalog.builder("t", Instant.EPOCH).plan(FREE)
                .storagePerGiBMonth(UnitPrice.microsPerUnit("1")).toolExecution(UnitPrice.FREE).build();
        assertThat(oneMicro.chargeForStorage(GIB_MONTH / 2)).isEqualTo(Credits.ofMicros(0));       // 0.5 → 0
        assertThat(oneMicro.chargeForStorage(GIB_MONTH / 2 + 1)).isEqualTo(Credits.ofMicros(1));   // just above
        assertThat(oneMicro.chargeForStorage(3 * (GIB_MONTH / 2))).isEqualTo(Credits.ofMicros(2)); // 1.5 → 2
        assertThat(oneMicro.chargeForStorage(3 * (GIB_MONTH / 2) - 1)).isEqualTo(Credits.ofMicros(1));
    }

    @Test
    void storage_of_one_byte_second_is_not_lost_to_an_early_rounding_of_the_price() {
        // 10^7 / (2^30 × 2 592 000) µ¢ per byte-second is not a finite decimal; a billion of them is 3.59… µ¢.
        assertThat(DefaultCatalog.create().chargeForStorage(1_000_000_000L)).isEqualTo(Credits.ofMicros(4));
        assertThat(DefaultCatalog.create().storageMicrosPerByteSecond())
                .isEqualByComparingTo(new BigDecimal("3.593065488485642421392746913580247E-9"));
    }

    @Test
    void sandbox_seconds_are_priced_per_size_and_an_unknown_size_is_unprocessable() {
        PriceCatalog catalog = DefaultCatalog.create();
        assertThat(catalog.chargeForSandbox("small", 3_600)).isEqualTo(Credits.ofMicros(5_040_000));
        assertThat(catalog.chargeForSandbox("large", 1)).isEqualTo(Credits.ofMicros(5_600));
        assertRefused(() -> catalog.chargeForSandbox("huge", 1), BillingError.UNPROCESSABLE);
    }

    @Test
    void a_tool_without_a_price_of_its_own_costs_the_default_execution_price() {
        PriceCatalog catalog = DefaultCatalog.create();
        assertThat(catalog.chargeForTool("web_search", 2)).isEqualTo(Credits.ofCents(2));
        assertThat(catalog.chargeForTool("calculator", 3)).isEqualTo(Credits.ofMicros(300_000));
    }

    @Test
    void a_resource_is_priced_in_its_own_unit_only() {
        PriceCatalog catalog = DefaultCatalog.create();
        assertThat(catalog.chargeForResource("code_exec", 10, "seconds")).isEqualTo(Credits.ofMicros(20_000));
        assertRefused(() -> catalog.chargeForResource("code_exec", 10, "minutes"), BillingError.UNPROCESSABLE);
        assertRefused(() -> catalog.chargeForResource("gpu", 10, "seconds"), BillingError.UNPROCESSABLE);
    }

    @Test
    void a_charge_too_large_for_a_long_is_refused_not_wrapped_around() {
        PriceCatalog catalog = DefaultCatalog.create();
        assertRefused(() -> catalog.chargeForModel("claude-sonnet-4-5", false, 0, Long.MAX_VALUE, 0),
                BillingError.UNPROCESSABLE);
        assertRefused(() -> catalog.chargeForSandbox("xlarge", Long.MAX_VALUE), BillingError.UNPROCESSABLE);
        assertRefused(() -> catalog.chargeForTool("web_search", Long.MAX_VALUE), BillingError.UNPROCESSABLE);
        // The largest storage quantity still fits: a long of byte-seconds is ~3.4 PiB-hours.
        assertThat(catalog.chargeForStorage(Long.MAX_VALUE).isPositive()).isTrue();
    }

    @Test
    void negative_quantities_are_a_programming_error() {
        assertThatThrownBy(() -> DefaultCatalog.create().chargeForTool("x", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_catalog_needs_storage_and_tool_prices_and_names_each_price_once() {
        assertThatThrownBy(() -> PriceCatalog.builder("t", Instant.EPOCH).toolExecution(UnitPrice.FREE).build())
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> base().model("m", ModelPrice.centsPerMillion("1", "1", "1"))
                .model("m", ModelPrice.centsPerMillion("2", "2", "2")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PriceCatalog.builder(" ", Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        // Every catalog offers the plan an org gets when it is created without naming one.
        assertThatThrownBy(() -> PriceCatalog.builder("t", Instant.EPOCH).storagePerGiBMonth(UnitPrice.FREE)
                .toolExecution(UnitPrice.FREE).plan(new Plan("pro", "Pro", Credits.ZERO, 0, 0)).build())
                .isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.details())
                        .extracting(FieldIssue::field).containsExactly("plans"));
    }

    @Property
    void a_model_charge_is_the_exact_price_rounded_once(@ForAll @LongRange(max = 10_000_000_000L) long input,
                                                       @ForAll @LongRange(max = 10_000_000_000L) long output,
                                                       @ForAll @LongRange(max = 10_000_000_000L) long cached) {
        Credits charge = DefaultCatalog.create().chargeForModel("gemini-2.5-flash", false, input, output, cached);
        BigDecimal exact = BigDecimal.valueOf(input).multiply(new BigDecimal("30"))
                .add(BigDecimal.valueOf(output).multiply(new BigDecimal("250")))
                .add(BigDecimal.valueOf(cached).multiply(new BigDecimal("7.5")));
        assertThat(BigDecimal.valueOf(charge.micros()).subtract(exact).abs())
                .isLessThanOrEqualTo(new BigDecimal("0.5"));
    }

    @Property
    void storage_charges_never_decrease_with_more_byte_seconds(
            @ForAll @LongRange(max = Long.MAX_VALUE - 1) long byteSeconds) {
        PriceCatalog catalog = DefaultCatalog.create();
        assertThat(catalog.chargeForStorage(byteSeconds + 1))
                .isGreaterThanOrEqualTo(catalog.chargeForStorage(byteSeconds));
    }
}
