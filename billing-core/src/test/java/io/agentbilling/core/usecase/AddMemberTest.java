package io.agentbilling.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import org.junit.jupiter.api.Test;

class AddMemberTest {
    private final InMemoryTransactions transactions = new InMemoryTransactions();
    private final Billing billing = Billing.builder(transactions, MutableClock.at("2026-11-10T09:00:00Z")).build();
    private final OrgId org = billing.createOrg().execute(CreateOrg.Command.builder()
            .name("Acme").plan("free").idempotencyKey("acme").build()).org().id();

    @Test
    void adding_again_with_the_same_key_returns_the_member_the_first_call_added() {
        AddMember.Command dev = new AddMember.Command(org, "dev@acme.test", Role.MEMBER, "dev");
        AddMember.Result added = billing.addMember().execute(dev);
        AddMember.Result replay = billing.addMember().execute(dev);
        Member first = added.member();

        assertThat(added.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.member()).isEqualTo(first);
        assertThat(members()).containsExactly(first);
    }

    private java.util.List<Member> members() {
        return transactions.read(stores -> stores.directory().members(org));
    }

    @Test
    void without_a_key_every_call_adds_a_member() {
        Member first = billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER)).member();
        Member second = billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER)).member();

        assertThat(second.id()).isNotEqualTo(first.id());
    }

    @Test
    void a_key_reused_for_another_email_or_role_is_a_conflict_and_adds_nobody() {
        billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER, "dev")).member();

        assertThatThrownBy(() -> billing.addMember().execute(
                new AddMember.Command(org, "dev@acme.test", Role.ADMIN, "dev")).member())
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.IDEMPOTENCY_CONFLICT));
        assertThat(members()).hasSize(1);
    }

    @Test
    void member_keys_and_settlement_keys_do_not_collide() {
        Member dev = billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER, "req-1")).member();

        SettlementResult settled = billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(dev.id()).model("gpt-5").inputTokens(1_200).outputTokens(300)
                .referenceId("req-1").idempotencyKey("req-1").build());

        assertThat(settled.charged().isPositive()).isTrue();
    }

    @Test
    void a_key_too_long_for_the_key_space_is_refused() {
        assertThatThrownBy(() -> new AddMember.Command(org, null, Role.MEMBER, "k".repeat(AddMember.Command.MAX_KEY_LENGTH + 1)))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.BAD_REQUEST));
    }
}
