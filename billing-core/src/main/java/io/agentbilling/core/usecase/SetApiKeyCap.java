package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.ApiKeyCap;
import io.agentbilling.core.spend.ApiKeyCapStatus;
import io.agentbilling.core.spend.UtcPeriods;
import java.time.Clock;
import java.util.Objects;

/**
 * Sets an API key's spend caps ({@code PUT /v1/internal/orgs/{orgId}/api-keys/{keyId}/cap}), a service's call: the
 * command replaces both caps; a cap left null is none, and both null removes them. Spend already recorded stays.
 * Thread-safe.
 */
public final class SetApiKeyCap {
    private final Transactions transactions;
    private final Clock clock;
    private final GetApiKeyCaps caps;

    public SetApiKeyCap(Transactions transactions, Clock clock, GetApiKeyCaps caps) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.caps = Objects.requireNonNull(caps, "caps");
    }

    /**
     * @param monthlyCapCents  per UTC calendar month, in cents (0 to one billion dollars); null for none
     * @param lifetimeCapCents over the key's life, in cents (0 to one billion dollars); null for none
     */
    public record Command(OrgId orgId, ApiKeyId keyId, Long monthlyCapCents, Long lifetimeCapCents) {
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            Objects.requireNonNull(keyId, "keyId");
        }
    }

    /**
     * @return the key's caps and spend after the change
     * @throws BillingException {@code BAD_REQUEST} naming a cap out of range; {@code NOT_FOUND} for an org or key
     *                          that does not exist (a key of another org counts as unknown)
     */
    public ApiKeyCapStatus execute(Command c) {
        Credits monthly = SpendControlChecks.limitCents("monthlyCapCents", c.monthlyCapCents());
        Credits lifetime = SpendControlChecks.limitCents("lifetimeCapCents", c.lifetimeCapCents());
        transactions.inTransaction(stores -> {
            if (stores.directory().findOrg(c.orgId()).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            if (stores.directory().findApiKey(c.orgId(), c.keyId()).isEmpty()) {
                throw BillingException.notFound("API key");
            }
            if (monthly == null && lifetime == null) {
                stores.spend().deleteCap(c.orgId(), c.keyId());
            } else {
                stores.spend().saveCap(new ApiKeyCap(c.orgId(), c.keyId(), monthly, lifetime, UtcPeriods.now(clock)));
            }
            return null;
        });
        return caps.forKey(c.orgId(), c.keyId());
    }
}
