package io.agentbilling.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.usage.UsagePeriod;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.GetCreditHistory;
import io.agentbilling.core.usecase.GetUsageReport;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A service that embeds the engine reads an org's state by its id, without acting as one of its members: the same
 * answers a member gets through a {@link Caller}, and {@code NOT_FOUND} for an org that does not exist.
 */
class ReadsByOrgTest {
    private final Billing billing = Billing.builder(new InMemoryTransactions(), MutableClock.at("2026-11-10T09:00:00Z"))
            .build();
    private final OrgId org = billing.createOrg().execute(CreateOrg.Command.builder().name("Acme").build()).org().id();
    private final Member admin = billing.addMember().execute(new AddMember.Command(org, null, Role.ADMIN)).member();
    private final Caller asAdmin = Caller.of(admin);

    @Test
    void every_read_of_an_org_answers_by_org_id_as_it_does_for_its_members() {
        billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(admin.id()).model("gpt-5").inputTokens(1_000).idempotencyKey("call-1").build());

        assertThat(billing.getCreditHistory().forOrg(org).entries())
                .isEqualTo(billing.getCreditHistory().execute(asAdmin, GetCreditHistory.Query.builder().build())
                        .entries())
                .extracting(entry -> entry.type()).containsExactly(EntryType.USAGE, EntryType.SIGNUP_GRANT);
        assertThat(billing.getCreditHistory().forOrg(org, GetCreditHistory.Query.builder()
                .types(Set.of(EntryType.USAGE)).build()).entries()).hasSize(1);
        assertThat(billing.getPlanSummary().forOrg(org)).isEqualTo(billing.getPlanSummary().execute(asAdmin, null));
        assertThat(billing.getAutoTopup().forOrg(org)).isEqualTo(billing.getAutoTopup().execute(
                new io.agentbilling.core.usecase.GetAutoTopup.Command(asAdmin, null)));
        assertThat(billing.getCredits().forOrg(org)).isEqualTo(billing.getCredits().execute(asAdmin, null));
        GetUsageReport.Result report = billing.getUsageReport().forOrg(org, UsagePeriod.ALL_TIME);
        assertThat(report.totals()).isEqualTo(billing.getUsageReport().execute(
                new GetUsageReport.Command(asAdmin, null, UsagePeriod.ALL_TIME, true)).totals());
        assertThat(billing.getUsageReport().forMember(org, admin.id(), UsagePeriod.ALL_TIME).usage().tokens().input())
                .isEqualTo(1_000);
    }

    @Test
    void an_org_that_does_not_exist_is_not_found_by_every_read() {
        OrgId nowhere = OrgId.random();
        assertNotFound(() -> billing.getCreditHistory().forOrg(nowhere));
        assertNotFound(() -> billing.getPlanSummary().forOrg(nowhere));
        assertNotFound(() -> billing.getAutoTopup().forOrg(nowhere));
        assertNotFound(() -> billing.getCredits().forOrg(nowhere));
        assertNotFound(() -> billing.getUsageReport().forOrg(nowhere, null));
        assertNotFound(() -> billing.getUsageReport().forMember(nowhere, admin.id(), null));
    }

    @Test
    void a_query_naming_another_org_is_a_mistake_of_the_caller() {
        assertThatThrownBy(() -> billing.getCreditHistory().forOrg(org,
                GetCreditHistory.Query.builder().orgId(OrgId.random()).build()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertNotFound(ThrowingCallable read) {
        assertThatThrownBy(read).isInstanceOfSatisfying(BillingException.class,
                e -> assertThat(e.error()).isEqualTo(BillingError.NOT_FOUND));
    }
}
