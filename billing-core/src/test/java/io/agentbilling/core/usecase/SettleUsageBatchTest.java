package io.agentbilling.core.usecase;

import static io.agentbilling.core.usecase.Refusals.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettleUsageBatchTest {
    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId ann = f.newMember(org);
    private final Instant from = UsageFixture.START.plus(Duration.ofHours(1));
    private final Instant to = UsageFixture.START.plus(Duration.ofHours(2));

    {
        f.advance(Duration.ofHours(3)); // storage is reported after the period, which began after the org's creation
    }

    private SettlementCommand model(String model, long in, String key) {
        return SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model(model).inputTokens(in).idempotencyKey(key).build();
    }

    @Test
    void good_events_settle_and_each_bad_one_gets_its_own_error_in_order() {
        f.settleModel.execute((SettleModelUsage.Command) model("gpt-5", 1, "used"));
        int callsBefore = f.writerCalls.get();

        List<SettlementCommand> events = Arrays.asList(
                model("gpt-5", 1_000, "e0"),                                                        // ok: 125 000
                model("gpt-17", 1_000, "e1"),                                                       // unknown model
                SettleToolExecution.Command.builder()
                        .orgId(org).memberId(ann).tool("web_search").count(0).idempotencyKey("e2")
                        .build(),             // invalid count
                SettleDeduction.Command.builder()
                        .orgId(OrgId.random()).amountMicros(5).resource("voice").idempotencyKey("e3")
                        .build(),     // unknown org
                model("gpt-5", 2, "used"),                                                          // key conflict
                SettleStorageUsage.Command.builder()
                        .orgId(org).workspaceId("ws").byteSeconds(1_000_000_000L).from(from).to(to)
                        .idempotencyKey("e5").build(),     // ok: 4
                null,                                                                               // malformed
                SettleToolExecution.Command.builder()
                        .orgId(org).memberId(ann).tool("web_search").count(2).idempotencyKey("e7")
                        .build(),             // ok: 2 000 000
                SettleResourceCharge.Command.builder()
                        .orgId(org).memberId(ann).resource("code_exec").quantity(5).unit("seconds")
                        .idempotencyKey("e8").build(), // 10 000
                SettleDeduction.Command.builder()
                        .orgId(org).memberId(ann).amountMicros(7).resource("voice").idempotencyKey("e9")
                        .build());                // ok: 7

        List<SettleUsageBatch.Outcome> outcomes = f.settleBatch.execute(events);

        assertThat(f.writerCalls.get() - callsBefore).isEqualTo(1);
        assertThat(outcomes).extracting(SettleUsageBatch.Outcome::error).containsExactly(
                null, BillingError.UNKNOWN_MODEL, BillingError.BAD_REQUEST, BillingError.NOT_FOUND,
                BillingError.IDEMPOTENCY_CONFLICT, null, BillingError.BAD_REQUEST, null, null, null);
        assertThat(outcomes.get(2).details()).extracting("field").containsExactly("count");
        assertThat(outcomes.get(0).result().charged()).isEqualTo(Credits.ofMicros(125_000));
        assertThat(outcomes.get(9).result().balanceAfter()).isEqualTo(f.balance(org));
        Credits settled = Credits.ofMicros(125 + 125_000 + 4 + 2_000_000 + 10_000 + 7);
        assertThat(f.balance(org)).isEqualTo(settled.negate());
    }

    @Test
    void a_key_repeated_within_the_batch_replays_or_conflicts_against_its_first_use() {
        List<SettleUsageBatch.Outcome> outcomes = f.settleBatch.execute(List.of(
                model("gpt-5", 1_000, "k"), model("gpt-5", 1_000, "k"), model("gpt-5", 999, "k")));
        assertThat(outcomes.get(0).result().replayed()).isFalse();
        assertThat(outcomes.get(1).result().replayed()).isTrue();
        assertThat(outcomes.get(1).result().entryId()).isEqualTo(outcomes.get(0).result().entryId());
        assertThat(outcomes.get(2).error()).isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.balance(org)).isEqualTo(Credits.ofMicros(-125_000));
    }

    @Test
    void replaying_a_whole_batch_charges_nothing_more() {
        List<SettlementCommand> events = List.of(model("gpt-5", 1, "a"), model("gpt-5", 2, "b"));
        f.settleBatch.execute(events);
        Credits balance = f.balance(org);
        assertThat(f.settleBatch.execute(events)).allSatisfy(o -> assertThat(o.result().replayed()).isTrue());
        assertThat(f.balance(org)).isEqualTo(balance);
    }

    @Test
    void a_batch_of_only_bad_events_opens_no_unit_of_work() {
        int callsBefore = f.writerCalls.get();
        List<SettleUsageBatch.Outcome> outcomes = f.settleBatch.execute(List.of(model("gpt-17", 1, "a")));
        assertThat(outcomes).singleElement().extracting(SettleUsageBatch.Outcome::error)
                .isEqualTo(BillingError.UNKNOWN_MODEL);
        assertThat(f.writerCalls.get()).isEqualTo(callsBefore);
    }

    @Test
    void a_thousand_events_are_accepted_and_one_more_is_a_bad_request() {
        List<SettlementCommand> events = new ArrayList<>();
        for (int i = 0; i < SettleUsageBatch.MAX_EVENTS; i++) {
            events.add(SettleToolExecution.Command.builder()
                    .orgId(org).memberId(ann).tool("calculator").idempotencyKey("k" + i).build());
        }
        assertThat(f.settleBatch.execute(events)).noneMatch(SettleUsageBatch.Outcome::isRefused);
        assertThat(f.balance(org)).isEqualTo(Credits.ofMicros(-100_000L * 1_000));

        events.add(SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).tool("calculator").idempotencyKey("one-more").build());
        assertInvalid(() -> f.settleBatch.execute(events), "events");
        assertInvalid(() -> f.settleBatch.execute(Collections.emptyList()), "events");
    }
}
