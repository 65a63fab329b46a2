package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.SignInSession;
import io.agentbilling.core.access.SignInSessions;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a presented session token into the caller it acts as — only while the session is open and the API key it was
 * opened with is still active (not revoked, not expired) and its member still there, all read in one unit of work on
 * every call: revoking a key ends its sessions at once, on every server instance. The role is the member's role now.
 * Empty for anything else, so a client cannot tell why. Reads only. Thread-safe.
 */
public final class AuthenticateSession {
    private final Transactions transactions;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     */
    public AuthenticateSession(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The open session and who it acts as. */
    public record Result(SignInSession session, Caller caller) {}

    /**
     * The member a sign-in session acts as. Never refuses: a token that is malformed, unknown, ended or expired, or
     * whose key was revoked, is empty.
     *
     * @param presentedToken the session token as presented
     * @return the session and its caller, or empty
     */
    public Optional<Result> execute(String presentedToken) {
        if (!SignInSessions.isWellFormed(presentedToken)) {
            return Optional.empty();
        }
        String hash = SignInSessions.hash(presentedToken);
        return transactions.read(stores -> {
            Instant now = clock.instant();
            return stores.directory().findSessionByTokenHash(hash)
                    .filter(session -> session.isOpenAt(now))
                    .flatMap(session -> stores.directory().findApiKey(session.orgId(), session.keyId())
                            .filter(key -> key.isActiveAt(now) && key.memberId().equals(session.memberId()))
                            .flatMap(key -> stores.directory().findMember(session.orgId(), session.memberId()))
                            .map(member -> new Result(session, new Caller(session.orgId(), member.id(), member.role(),
                                    session.keyId()))));
        });
    }
}
