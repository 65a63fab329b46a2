package io.agentbilling.testkit.contract;

import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.port.Transactions;
import java.time.Instant;
import java.util.UUID;

/**
 * Orgs and members for contract tests, created through the ports themselves so that adapters with foreign keys
 * accept the rows the tests write. Random ids keep test classes independent on a shared database.
 */
final class ContractWorld {
    static final Instant CREATED = Instant.parse("2026-03-01T00:00:00Z");

    private ContractWorld() {}

    static OrgId newOrg(Transactions tx) {
        OrgId org = new OrgId(UUID.randomUUID());
        tx.inTransaction(stores -> {
            stores.directory().insertOrg(new Org(org, "contract " + org, "pro", CREATED));
            stores.ledger().createAccount(org, CREATED);
            return null;
        });
        return org;
    }

    static MemberId newMember(Transactions tx, OrgId org) {
        MemberId member = new MemberId(UUID.randomUUID());
        tx.inTransaction(stores -> {
            stores.directory().insertMember(new Member(member, org, null, Role.MEMBER, CREATED));
            return null;
        });
        return member;
    }
}
