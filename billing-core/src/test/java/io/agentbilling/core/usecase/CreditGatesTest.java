package io.agentbilling.core.usecase;

import static io.agentbilling.core.usecase.Refusals.assertInvalid;
import static io.agentbilling.core.usecase.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import org.junit.jupiter.api.Test;

class CreditGatesTest {
    private static final long GIB = 1L << 30;

    private final UsageFixture f = new UsageFixture();

    private QuoteSandboxRuntime.Result quote(OrgId org, String size, Long seconds) {
        return f.quote.execute(new QuoteSandboxRuntime.Command(org, size, seconds));
    }

    private CheckStorageQuota.Result quota(OrgId org, long current, long requested) {
        return f.quota.execute(new CheckStorageQuota.Command(org, "ws-1", current, requested));
    }

    @Test
    void a_quote_gives_the_price_the_cost_and_the_whole_seconds_the_balance_covers() {
        OrgId org = f.newOrg();
        f.topUp(org, Credits.ofMicros(1_400 * 100 + 1_399));
        QuoteSandboxRuntime.Result result = quote(org, "small", 60L);
        assertThat(result.pricePerSecond()).isEqualTo(UnitPrice.microsPerUnit("1400"));
        assertThat(result.cost()).isEqualTo(Credits.ofMicros(84_000));
        assertThat(result.affordableSeconds()).isEqualTo(100);
        assertThat(result.allowed()).isTrue();
        assertThat(quote(org, "small", 100L).allowed()).isTrue();
        assertThat(quote(org, "small", 101L).allowed()).isFalse();
    }

    @Test
    void without_seconds_a_quote_allows_a_start_when_one_second_is_affordable() {
        OrgId org = f.newOrg();
        f.topUp(org, Credits.ofMicros(1_399));
        QuoteSandboxRuntime.Result tooPoor = quote(org, "small", null);
        assertThat(tooPoor.affordableSeconds()).isZero();
        assertThat(tooPoor.cost()).isEqualTo(Credits.ZERO);
        assertThat(tooPoor.allowed()).isFalse();
        f.topUp(org, Credits.ofMicros(1));
        assertThat(quote(org, "small", null).allowed()).isTrue();
    }

    @Test
    void an_empty_or_negative_balance_affords_nothing() {
        OrgId org = f.newOrg();
        assertThat(quote(org, "small", null).affordableSeconds()).isZero();
        f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).amountMicros(10).resource("x").idempotencyKey("k").build());
        QuoteSandboxRuntime.Result negative = quote(org, "small", 1L);
        assertThat(negative.available()).isEqualTo(Credits.ofMicros(-10));
        assertThat(negative.affordableSeconds()).isZero();
        assertThat(negative.allowed()).isFalse();
    }

    @Test
    void a_fractional_price_per_second_divides_exactly() {
        assertThat(QuoteSandboxRuntime.affordableSeconds(Credits.ofMicros(10), UnitPrice.microsPerUnit("0.3")))
                .isEqualTo(33);
        assertThat(QuoteSandboxRuntime.affordableSeconds(Credits.ofMicros(3), UnitPrice.microsPerUnit("0.3")))
                .isEqualTo(10);
    }

    @Test
    void a_free_size_is_affordable_for_ever_and_a_tiny_price_does_not_overflow() {
        assertThat(QuoteSandboxRuntime.affordableSeconds(Credits.ofMicros(-5), UnitPrice.FREE))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(QuoteSandboxRuntime.affordableSeconds(Credits.ofMicros(Long.MAX_VALUE),
                UnitPrice.microsPerUnit("0.000001"))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void a_quote_for_an_unknown_org_or_size_is_refused() {
        OrgId org = f.newOrg();
        assertRefused(() -> quote(OrgId.random(), "small", null), BillingError.NOT_FOUND);
        assertRefused(() -> quote(org, "huge", null), BillingError.UNPROCESSABLE);
        assertInvalid(() -> quote(org, "small", 0L), "seconds");
    }

    @Test
    void storage_up_to_exactly_the_plan_quota_is_allowed_and_one_byte_more_is_not() {
        OrgId org = f.newOrg("free");
        CheckStorageQuota.Result atQuota = quota(org, GIB - 10, 10);
        assertThat(atQuota).isEqualTo(new CheckStorageQuota.Result(true, GIB, 10, null));
        CheckStorageQuota.Result over = quota(org, GIB - 10, 11);
        assertThat(over).isEqualTo(new CheckStorageQuota.Result(false, GIB, 10, CheckStorageQuota.QUOTA_EXCEEDED));
    }

    @Test
    void an_org_already_over_quota_has_nothing_remaining_and_huge_requests_do_not_overflow() {
        OrgId org = f.newOrg("free");
        assertThat(quota(org, GIB + 1, 0)).isEqualTo(new CheckStorageQuota.Result(false, GIB, 0,
                CheckStorageQuota.QUOTA_EXCEEDED));
        assertThat(quota(org, 1, Long.MAX_VALUE).allowed()).isFalse();
        assertThat(quota(org, Long.MAX_VALUE, Long.MAX_VALUE).allowed()).isFalse();
    }

    @Test
    void the_quota_follows_the_org_plan() {
        assertThat(quota(f.newOrg("enterprise"), 0, 1L << 40).allowed()).isTrue();
        assertThat(quota(f.newOrg("pro"), 0, 50 * GIB + 1).allowed()).isFalse();
        assertRefused(() -> quota(OrgId.random(), 0, 1), BillingError.NOT_FOUND);
        assertInvalid(() -> quota(f.newOrg(), -1, 1), "currentBytes");
    }

    @Test
    void pricing_is_the_catalog_in_force_now() {
        assertThat(f.pricing.execute().version()).isEqualTo("builtin-2026-01-01");
        f.clock.set(UsageFixture.V2_FROM);
        assertThat(f.pricing.execute().version()).isEqualTo("v2");
        assertThat(f.pricing.execute().effectiveFrom()).isEqualTo(UsageFixture.V2_FROM);
    }
}
