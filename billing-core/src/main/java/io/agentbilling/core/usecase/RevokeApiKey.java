package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.util.Objects;

/**
 * Revokes an API key of an org. Revoking is idempotent: a second revocation returns the key as it is, with the time
 * of the first. A key of another org is not found. Thread-safe.
 */
public final class RevokeApiKey {
    private final Transactions transactions;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     */
    public RevokeApiKey(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public record Command(OrgId orgId, ApiKeyId keyId) {
        /**
         * @param keyId the API key
         * @param orgId the organization
         */
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            Objects.requireNonNull(keyId, "keyId");
        }
    }

    /**
     * Revokes the key (revoking it again changes nothing).
     *
     * @param command the org and the key
     * @return the stored key, revoked
     * @throws BillingException {@code NOT_FOUND} when the org has no such key
     */
    public ApiKey execute(Command command) {
        return transactions.inTransaction(stores -> stores.directory()
                .revokeApiKey(command.orgId(), command.keyId(), clock.instant())
                .orElseThrow(() -> BillingException.notFound("API key")));
    }
}
