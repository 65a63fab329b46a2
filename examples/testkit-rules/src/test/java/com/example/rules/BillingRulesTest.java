package com.example.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.testkit.FakePaymentGateway;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.core.usecase.StartTopup;
import io.agentbilling.core.usecase.VerifyCheckout;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Billing rules of our platform, unit-tested on the engine's test kit: in memory, with a clock we move. */
class BillingRulesTest {
    private final MutableClock clock = MutableClock.at("2026-12-01T09:00:00Z");
    private final FakePaymentGateway payments = new FakePaymentGateway();
    private final Billing billing = Billing.builder(new InMemoryTransactions(), clock)
            .paymentGateway(payments)
            .build();
    private final OrgId acme = billing.createOrg().execute(
            CreateOrg.Command.builder().name("Acme").plan("free").idempotencyKey("create-acme").build()).org().id();
    private final Member dev = billing.addMember().execute(
            new AddMember.Command(acme, "dev@acme.test", Role.MEMBER, "dev@acme.test")).member();

    @Test
    void a_model_call_is_charged_once_however_often_it_is_reported() {
        SettleModelUsage.Command call = SettleModelUsage.Command.builder()
                .orgId(acme).memberId(dev.id()).model("gpt-5").inputTokens(1_200).outputTokens(300)
                .referenceId("req-1").idempotencyKey("req-1").build();

        SettlementResult first = billing.settleModelUsage().execute(call);
        SettlementResult retry = billing.settleModelUsage().execute(call);

        assertEquals(first.charged(), retry.charged());
        assertEquals(499, billing.getCredits().forOrg(acme).balance().toCentsFloor()); // $5.00 grant - 0.45 cents
    }

    @Test
    void the_free_plans_sign_up_credit_expires_after_thirty_days() {
        clock.advance(Duration.ofDays(31));

        billing.expireGrants().execute(100);

        assertEquals(0, billing.getCredits().forOrg(acme).balance().toCentsFloor());
    }

    @Test
    void a_paid_checkout_credits_the_org_once() {
        Member admin = billing.addMember().execute(new AddMember.Command(acme, "admin@acme.test", Role.ADMIN, "admin")).member();
        Caller caller = Caller.of(admin);
        StartTopup.Result topup = billing.startTopup().execute(
                StartTopup.Command.builder().caller(caller).amountCents(2_500).idempotencyKey("topup-1").build());
        payments.payCheckout(topup.sessionId());

        VerifyCheckout.Result verified = billing.verifyCheckout().execute(new VerifyCheckout.Command(caller, topup.sessionId()));
        VerifyCheckout.Result again = billing.verifyCheckout().execute(new VerifyCheckout.Command(caller, topup.sessionId()));

        assertTrue(verified.credited());
        assertEquals(verified.entryId(), again.entryId()); // the second verification finds the same credit
        assertEquals(3_000, billing.getCredits().forOrg(acme).balance().toCentsFloor()); // $5.00 + $25.00, once
    }
}
