package com.example.service;

import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.jdbc.PostgresBilling;
import javax.sql.DataSource;

public final class ChargeModelCall {

    /** Charges one model call to Acme's developer and returns Acme's balance in cents. Safe to run again. */
    public static long run(DataSource dataSource) {
        try (PostgresBilling engine = PostgresBilling.configure()
                .dataSource(dataSource)
                .schema("billing") // apart from the service's own tables and Flyway history
                .start()) {
            Billing billing = engine.billing();
            // Every write carries an idempotency key, so a second run replays instead of writing again.
            OrgId acme = billing.createOrg().execute(CreateOrg.Command.builder()
                    .name("Acme").plan("free").idempotencyKey("create-acme").build()).org().id();
            Member dev = billing.addMember().execute(
                    new AddMember.Command(acme, "dev@acme.test", Role.MEMBER, "member-dev@acme.test")).member();
            billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                    .orgId(acme).memberId(dev.id()).model("gpt-5").inputTokens(1_200).outputTokens(300)
                    .referenceId("req-1").idempotencyKey("req-1").build());
            return billing.getCredits().forOrg(acme).balance().toCentsFloor();
        }
    }

    private ChargeModelCall() {
    }
}
