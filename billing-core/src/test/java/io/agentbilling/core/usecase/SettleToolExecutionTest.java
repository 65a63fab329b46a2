package io.agentbilling.core.usecase;

import static io.agentbilling.core.usecase.Refusals.assertInvalid;
import static io.agentbilling.core.usecase.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import org.junit.jupiter.api.Test;

class SettleToolExecutionTest {
    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId ann = f.newMember(org);

    @Test
    void one_execution_is_charged_the_default_tool_price() {
        SettlementResult result = f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).tool("calculator").referenceId("r").idempotencyKey("k").build());
        assertThat(result.charged()).isEqualTo(Credits.ofMicros(100_000));
        assertThat(f.balance(org)).isEqualTo(Credits.ofMicros(-100_000));
        assertThat(f.entries(org).get(0).resource()).isEqualTo("tool");
    }

    @Test
    void several_executions_of_a_tool_with_its_own_price_roll_up_as_a_count() {
        f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).tool("web_search").count(3).idempotencyKey("k1").build());
        f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).tool("web_search").count(2).idempotencyKey("k2").build());
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(-5));
        assertThat(f.usage(org, ann)).containsExactly(UsageAmounts.tool(ann, "web_search", 5,
                Credits.ofCents(5)));
    }

    @Test
    void a_replay_is_flagged_and_a_changed_count_conflicts() {
        SettleToolExecution.Command command = SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).tool("web_search").count(3).idempotencyKey("k").build();
        SettlementResult first = f.settleTool.execute(command);
        assertThat(f.settleTool.execute(command)).isEqualTo(
                new SettlementResult(first.charged(), first.entryId(), first.balanceAfter(), true));
        assertRefused(() -> f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).tool("web_search").count(4).idempotencyKey("k").build()),
                BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(-3));
    }

    @Test
    void a_count_past_a_billion_is_a_bad_request_not_an_overflow() {
        assertInvalid(() -> f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).tool("web_search").count(Long.MAX_VALUE / 1_000_000).idempotencyKey("k")
                .build()), "count");
        assertThat(f.balance(org)).isEqualTo(Credits.ZERO);
    }

    @Test
    void a_count_below_one_or_a_missing_tool_is_a_bad_request() {
        assertInvalid(() -> f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).tool("t").count(0).idempotencyKey("k").build()),
                "count");
        assertInvalid(() -> f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(ann).idempotencyKey("k").build()),
                "tool");
    }

    @Test
    void an_unknown_org_is_not_found_and_a_stranger_is_refused() {
        assertRefused(() -> f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(OrgId.random()).memberId(ann).tool("t").idempotencyKey("k").build()),
                BillingError.NOT_FOUND);
        MemberId stranger = f.newMember(f.newOrg());
        assertRefused(() -> f.settleTool.execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(stranger).tool("t").idempotencyKey("k").build()),
                BillingError.UNPROCESSABLE);
    }
}
