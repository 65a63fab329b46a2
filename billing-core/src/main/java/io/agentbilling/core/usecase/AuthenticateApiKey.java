package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeys;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a presented API key into the caller it authenticates. A malformed key is refused without touching the
 * store; an unknown, revoked or expired key, or one whose member is gone, is empty too (the HTTP layer answers
 * 401 {@code invalid_token} for all of them, so a client cannot tell which). Thread-safe.
 */
public final class AuthenticateApiKey {
    private final Transactions transactions;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     */
    public AuthenticateApiKey(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The member a presented key acts as. Never refuses: a key that is malformed, unknown, revoked or expired is
     * empty, so that every failure looks the same to the caller.
     *
     * @param presentedKey the key as presented
     * @return the caller, or empty
     */
    public Optional<Caller> execute(String presentedKey) {
        if (!ApiKeys.isWellFormed(presentedKey)) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(presentedKey);
        return transactions.read(stores -> {
            Optional<ApiKey> key = stores.directory().findApiKeyByHash(hash)
                    .filter(k -> k.isActiveAt(clock.instant()));
            return key.flatMap(k -> stores.directory().findMember(k.orgId(), k.memberId())
                    .map(member -> new Caller(k.orgId(), member.id(), member.role(), k.id())));
        });
    }
}
