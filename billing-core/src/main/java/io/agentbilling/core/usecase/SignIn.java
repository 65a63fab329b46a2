package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeys;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.SignInSession;
import io.agentbilling.core.access.SignInSessions;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Exchanges an API key for a sign-in session: the key is checked by the same rules as {@link AuthenticateApiKey}
 * (well-formed, known, not revoked, not expired, its member present), and a new session of the key's member is
 * stored by its token's hash. The token is returned once and never stored. Empty for a key that would be refused,
 * so a client cannot tell why. Also deletes the org's sessions that closed more than a day ago, so the table holds
 * only what can still matter. Thread-safe.
 */
public final class SignIn {
    /** Closed sessions are kept this long (for an operator looking into a sign-out), then deleted at a later sign-in. */
    static final java.time.Duration KEEP_CLOSED = java.time.Duration.ofDays(1);

    private final Transactions transactions;
    private final Clock clock;
    private final IdGenerator ids;
    private final SignInSessions rules;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     * @param ids the source of ids and secrets
     */
    public SignIn(Transactions transactions, Clock clock, IdGenerator ids, SignInSessions rules) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** A new session: the plain token (hand it to the client once), the session as stored, and who it acts as. */
    public record Result(String token, SignInSession session, Caller caller) {
        public Result {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(caller, "caller");
        }

        /** Never prints the token. */
        @Override
        public String toString() {
            return "SignIn.Result[caller=" + caller + ", expiresAt=" + session.expiresAt() + "]";
        }
    }

    /**
     * Opens a session for a presented API key. Never refuses: a key that is malformed, unknown, revoked or expired
     * opens nothing and is empty, so that every failure looks the same to the caller.
     *
     * @param presentedKey the API key as presented
     * @return the new session (its token shown once) and its caller, or empty
     */
    public Optional<Result> execute(String presentedKey) {
        if (!ApiKeys.isWellFormed(presentedKey)) {
            return Optional.empty();
        }
        String keyHash = ApiKeys.hash(presentedKey);
        return transactions.inTransaction(stores -> {
            Instant now = clock.instant();
            Optional<ApiKey> key = stores.directory().findApiKeyByHash(keyHash).filter(k -> k.isActiveAt(now));
            Optional<Member> member = key.flatMap(k -> stores.directory().findMember(k.orgId(), k.memberId()));
            if (key.isEmpty() || member.isEmpty()) {
                return Optional.empty();
            }
            stores.directory().deleteSessionsClosedBefore(key.get().orgId(), now.minus(KEEP_CLOSED));
            String token = SignInSessions.newToken(ids.secureRandomBytes(SignInSessions.SECRET_BYTES));
            SignInSession session = new SignInSession(SignInSessions.hash(token), key.get().orgId(), member.get().id(),
                    key.get().id(), now, now.plus(rules.lifetime()), null);
            stores.directory().insertSession(session);
            return Optional.of(new Result(token, session,
                    new Caller(session.orgId(), member.get().id(), member.get().role(), key.get().id())));
        });
    }
}
