package io.agentbilling.core.usecase;

import static io.agentbilling.core.usecase.Refusals.assertInvalid;
import static io.agentbilling.core.usecase.Refusals.assertRefused;
import static io.agentbilling.core.usecase.Refusals.assertUnprocessable;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettleStorageUsageTest {
    private static final long GIB_MONTH = PriceCatalog.BYTES_PER_GIB * PriceCatalog.SECONDS_PER_MONTH;

    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId ann = f.newMember(org);
    private final Instant from = UsageFixture.START.plus(Duration.ofDays(1));
    private final Instant to = UsageFixture.START.plus(Duration.ofDays(2));

    {
        f.advance(Duration.ofDays(3)); // the org was created at START; the storage is reported days later
    }

    @Test
    void a_gib_month_costs_the_monthly_price_exactly() {
        SettlementResult result = f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws-1", null, GIB_MONTH,
                from, to, "k"));
        assertThat(result.charged()).isEqualTo(Credits.ofCents(10));
        assertThat(f.entries(org).get(0).resource()).isEqualTo("storage");
        assertThat(f.entries(org).get(0).referenceId()).isEqualTo("ws-1");
    }

    @Test
    void org_level_storage_rolls_up_without_a_member_on_the_day_the_window_starts() {
        f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws-1", null, 1_000_000_000L, from, to, "k"));
        LocalDate day = LocalDate.of(2026, 3, 11);
        List<UsageAmounts> onDay = f.tx.read(s -> s.usage().totals(org, null, day, day.plusDays(1)));
        assertThat(onDay).containsExactly(
                UsageAmounts.storage(null, "ws-1", 1_000_000_000L, Credits.ofMicros(4)));
        assertThat(f.usage(org, ann)).isEmpty();
    }

    @Test
    void storage_of_a_member_is_attributed_to_them() {
        f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws-1", ann, 5, from, to, "k"));
        assertThat(f.usage(org, ann)).singleElement().extracting(UsageAmounts::quantity).isEqualTo(java.math.BigInteger.valueOf(5));
    }

    @Test
    void the_period_must_be_ordered_and_not_in_the_future() {
        assertInvalid(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws", null, 1, to, to, "k")),
                "to");
        assertInvalid(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws", null, 1, to, from, "k")),
                "to");
        assertUnprocessable(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws", null, 1, from,
                f.clock.instant().plus(Duration.ofMinutes(6)), "k")), "to");
        assertInvalid(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws", null, -1, from, to, "k")),
                "byteSeconds");
        assertInvalid(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "", null, 1, from, to, "k")),
                "workspaceId");
    }

    @Test
    void a_replay_is_flagged_and_another_window_under_the_same_key_conflicts() {
        SettleStorageUsage.Command command = new SettleStorageUsage.Command(org, "ws", null, GIB_MONTH, from, to, "k");
        f.settleStorage.execute(command);
        assertThat(f.settleStorage.execute(command).replayed()).isTrue();
        assertRefused(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws", null, GIB_MONTH, from,
                to.plusSeconds(1), "k")), BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(-10));
    }

    @Test
    void storage_held_before_the_org_existed_or_too_long_ago_is_unprocessable_naming_from() {
        Instant beforeOrg = UsageFixture.START.minus(Duration.ofHours(2));
        assertUnprocessable(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws", null, 1,
                beforeOrg, beforeOrg.plusSeconds(60), "k")), "from");
        f.advance(Duration.ofDays(40));
        assertUnprocessable(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws", null, 1, from, to,
                "k")), "from");
        assertUnprocessable(() -> f.settleStorage.execute(new SettleStorageUsage.Command(org, "ws", null, 1,
                Instant.parse("0000-06-01T00:00:00Z"), to, "k")), "from");
        assertThat(f.entries(org)).isEmpty();
        assertThat(f.usage(org, null)).isEmpty();
    }
}
