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
        SettlementResult result = f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws-1").byteSeconds(GIB_MONTH).from(from).to(to).idempotencyKey("k").build());
        assertThat(result.charged()).isEqualTo(Credits.ofCents(10));
        assertThat(f.entries(org).get(0).resource()).isEqualTo("storage");
        assertThat(f.entries(org).get(0).referenceId()).isEqualTo("ws-1");
    }

    @Test
    void org_level_storage_rolls_up_without_a_member_on_the_day_the_window_starts() {
        f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws-1").byteSeconds(1_000_000_000L).from(from).to(to).idempotencyKey("k")
                .build());
        LocalDate day = LocalDate.of(2026, 3, 11);
        List<UsageAmounts> onDay = f.tx.read(s -> s.usage().totals(org, null, day, day.plusDays(1)));
        assertThat(onDay).containsExactly(
                UsageAmounts.storage(null, "ws-1", 1_000_000_000L, Credits.ofMicros(4)));
        assertThat(f.usage(org, ann)).isEmpty();
    }

    @Test
    void storage_of_a_member_is_attributed_to_them() {
        f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws-1").memberId(ann).byteSeconds(5).from(from).to(to).idempotencyKey("k")
                .build());
        assertThat(f.usage(org, ann)).singleElement().extracting(UsageAmounts::quantity).isEqualTo(java.math.BigInteger.valueOf(5));
    }

    @Test
    void the_period_must_be_ordered_and_not_in_the_future() {
        assertInvalid(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(1).from(to).to(to).idempotencyKey("k").build()),
                "to");
        assertInvalid(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(1).from(to).to(from).idempotencyKey("k").build()),
                "to");
        assertUnprocessable(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(1).from(from)
                .to(f.clock.instant().plus(Duration.ofMinutes(6))).idempotencyKey("k").build()), "to");
        assertInvalid(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(-1).from(from).to(to).idempotencyKey("k").build()),
                "byteSeconds");
        assertInvalid(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("").byteSeconds(1).from(from).to(to).idempotencyKey("k").build()),
                "workspaceId");
    }

    @Test
    void a_replay_is_flagged_and_another_window_under_the_same_key_conflicts() {
        SettleStorageUsage.Command command = SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(GIB_MONTH).from(from).to(to).idempotencyKey("k").build();
        f.settleStorage.execute(command);
        assertThat(f.settleStorage.execute(command).replayed()).isTrue();
        assertRefused(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(GIB_MONTH).from(from).to(to.plusSeconds(1))
                .idempotencyKey("k").build()), BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(-10));
    }

    @Test
    void storage_held_before_the_org_existed_or_too_long_ago_is_unprocessable_naming_from() {
        Instant beforeOrg = UsageFixture.START.minus(Duration.ofHours(2));
        assertUnprocessable(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(1).from(beforeOrg).to(beforeOrg.plusSeconds(60))
                .idempotencyKey("k").build()), "from");
        f.advance(Duration.ofDays(40));
        assertUnprocessable(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(1).from(from).to(to).idempotencyKey("k").build()), "from");
        assertUnprocessable(() -> f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(1).from(Instant.parse("0000-06-01T00:00:00Z")).to(to)
                .idempotencyKey("k").build()), "from");
        assertThat(f.entries(org)).isEmpty();
        assertThat(f.usage(org, null)).isEmpty();
    }
}
