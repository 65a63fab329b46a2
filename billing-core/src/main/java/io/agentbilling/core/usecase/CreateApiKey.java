package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.ApiKeys;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Creates an API key for a member of an org. The plain key is returned once, in the result, and never stored: the
 * directory keeps its SHA-256 hash and a display prefix. Thread-safe.
 */
public final class CreateApiKey {
    public static final int MAX_NAME_CHARS = 100;

    private final Transactions transactions;
    private final Clock clock;
    private final IdGenerator ids;

    public CreateApiKey(Transactions transactions, Clock clock, IdGenerator ids) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** @param expiresAt optional (null = never); must be in the future */
    public record Command(OrgId orgId, MemberId memberId, String name, boolean test, Instant expiresAt) {
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            if (memberId == null) {
                throw BillingException.invalid("memberId", "is required");
            }
            if (name == null || name.isBlank() || name.length() > MAX_NAME_CHARS) {
                throw BillingException.invalid("name", "must have 1.." + MAX_NAME_CHARS + " characters");
            }
            Commands.requireStorableText("name", name);
            expiresAt = Commands.requireStorableInstant("expiresAt", expiresAt);
        }
    }

    /** The plain key (shown once) and the stored key. */
    public record Result(String plainKey, ApiKey key) {
        @Override
        public String toString() {
            return "Result[key=" + key + "]";
        }
    }

    public Result execute(Command command) {
        Instant now = clock.instant();
        if (command.expiresAt() != null && !command.expiresAt().isAfter(now)) {
            throw BillingException.invalid("expiresAt", "must be in the future");
        }
        ApiKeys.Generated generated = ApiKeys.generate(ids.secureRandomBytes(ApiKeys.SECRET_BYTES), command.test());
        ApiKey key = new ApiKey(new ApiKeyId(ids.newId()), command.orgId(), command.memberId(), command.name(),
                generated.keyHash(), generated.displayPrefix(), command.test(), now, command.expiresAt(), null);
        transactions.inTransaction(stores -> {
            if (stores.directory().findOrg(command.orgId()).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            if (stores.directory().findMember(command.orgId(), command.memberId()).isEmpty()) {
                throw BillingException.of(BillingError.UNPROCESSABLE, "memberId is not a member of this organization");
            }
            stores.directory().insertApiKey(key);
            return null;
        });
        return new Result(generated.plainKey(), key);
    }
}
