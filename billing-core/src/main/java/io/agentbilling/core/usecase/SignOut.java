package io.agentbilling.core.usecase;

import io.agentbilling.core.access.SignInSessions;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.util.Objects;

/**
 * Ends a sign-in session: from then on its token authenticates nothing, on any server instance. Ending an ended or
 * unknown session changes nothing (signing out twice is not an error). Thread-safe.
 */
public final class SignOut {
    private final Transactions transactions;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     */
    public SignOut(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Ends the session. Refuses nothing; ending it again changes nothing.
     *
     * @param presentedToken the session token as presented
     * @return true when a session with this token existed (ended now or before)
     */
    public boolean execute(String presentedToken) {
        if (!SignInSessions.isWellFormed(presentedToken)) {
            return false;
        }
        String hash = SignInSessions.hash(presentedToken);
        return transactions.inTransaction(stores -> stores.directory().endSession(hash, clock.instant()).isPresent());
    }
}
