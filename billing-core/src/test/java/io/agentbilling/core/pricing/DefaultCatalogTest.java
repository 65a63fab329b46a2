package io.agentbilling.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.money.Credits;
import org.junit.jupiter.api.Test;

class DefaultCatalogTest {
    private final PriceCatalog catalog = DefaultCatalog.create();

    @Test
    void it_has_the_four_documented_plans() {
        assertThat(catalog.plans()).containsOnlyKeys("free", "pro", "team", "enterprise");
        Plan free = catalog.plan("free").orElseThrow();
        assertThat(free.signupGrant()).isEqualTo(Credits.ofCents(500));
        assertThat(free.signupGrantDays()).isEqualTo(30);
        assertThat(free.storageQuotaBytes()).isEqualTo(1L << 30);
        assertThat(catalog.plan("pro").orElseThrow().storageQuotaBytes()).isEqualTo(50L << 30);
        assertThat(catalog.plan("team").orElseThrow().storageQuotaBytes()).isEqualTo(200L << 30);
        assertThat(catalog.plan("enterprise").orElseThrow().storageQuotaBytes()).isEqualTo(1L << 40);
        assertThat(catalog.plan("pro").orElseThrow().signupGrant()).isEqualTo(Credits.ZERO);
    }

    @Test
    void it_prices_the_documented_sizes_tools_and_resources_and_refuses_unknown_models() {
        assertThat(catalog.sandboxPricesPerSecond()).containsKeys("small", "medium", "large");
        assertThat(catalog.resourcePrice("code_exec").unit()).isEqualTo("seconds");
        assertThat(catalog.defaultModelPrice()).isEmpty();
        assertThat(catalog.chargeForModel("claude-sonnet-4-5", false, 1_000_000, 1_000_000, 0))
                .isEqualTo(Credits.ofCents(300 + 1_500));
    }
}
