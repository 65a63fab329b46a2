package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Stores;

/** Checks shared by the spend-control use cases. Stateless. */
final class SpendControlChecks {
    private SpendControlChecks() {}

    /**
     * @throws BillingException {@code UNPROCESSABLE} naming {@code memberId} or {@code apiKeyId} when either is
     *                          given and is not the org's
     */
    static void requireMemberAndKey(Stores stores, OrgId orgId, MemberId memberId, ApiKeyId apiKeyId) {
        if (memberId != null && stores.directory().findMember(orgId, memberId).isEmpty()) {
            throw BillingException.unprocessable("memberId", "is not a member of this organization");
        }
        if (apiKeyId != null && stores.directory().findApiKey(orgId, apiKeyId).isEmpty()) {
            throw BillingException.unprocessable("apiKeyId", "is not an API key of this organization");
        }
    }

    /** An optional limit in cents: null stays null; otherwise 0 to one billion dollars. */
    static Credits limitCents(String field, Long cents) {
        return cents == null ? null : CreditAmounts.cents(field, cents, CreditAmounts.Sign.NON_NEGATIVE);
    }
}
