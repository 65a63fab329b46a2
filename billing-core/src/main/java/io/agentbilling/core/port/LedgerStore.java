package io.agentbilling.core.port;

import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.CreditGrant;
import io.agentbilling.core.ledger.HistoryQuery;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.IdempotencyRecord.ScopedKey;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ledger: accounts (one balance row per org), append-only entries, grant lots and idempotency keys.
 * Obtained from {@link Stores} inside a {@link Transactions} unit of work; every method joins that transaction.
 */
public interface LedgerStore {

    /** Opens an empty account for a new org. */
    void createAccount(OrgId orgId, Instant at);

    /**
     * Claims idempotency keys: inserts each claim unless its (org, key) is already taken — atomically, by a unique
     * constraint, never by a read first. Returns the stored records of the keys that were already taken (complete
     * with their outcome); a key claimed by a concurrent transaction waits for that transaction to finish.
     */
    Map<ScopedKey, IdempotencyRecord> claimKeys(List<IdempotencyRecord> claims);

    /** Records the outcome of keys this transaction claimed. */
    void completeKeys(List<IdempotencyRecord> outcomes);

    /** The stored record of a key, if it was used. */
    Optional<IdempotencyRecord> findKey(ScopedKey key);

    /**
     * Locks the accounts of these orgs for the rest of the transaction (in a fixed order, so concurrent batches
     * never deadlock) and returns their state with open grants. Orgs without an account are absent from the map.
     */
    Map<OrgId, Account> lockAccounts(Collection<OrgId> orgIds);

    /**
     * Writes what {@link io.agentbilling.core.ledger.AccountBook} produced for locked accounts: appends the entries,
     * stores the new account states, inserts or updates the grant lots.
     */
    void write(List<Account> accounts, List<LedgerEntry> entries, List<CreditGrant> grantWrites);

    /** The committed state of an account, read without locking (for balances and credit checks). */
    Optional<Account> findAccount(OrgId orgId);

    /**
     * The committed balance of an org, read without locking: the credit gate's read, which runs on every check a
     * platform service makes. A store answers it with one statement; by default it reads the whole account.
     */
    default Optional<Credits> findBalance(OrgId orgId) {
        return findAccount(orgId).map(Account::balance);
    }

    /** One entry of an org's ledger. */
    Optional<LedgerEntry> findEntry(OrgId orgId, io.agentbilling.core.ledger.EntryId entryId);

    /** A page of the ledger, newest first; at most {@code query.limit()} entries. */
    List<LedgerEntry> history(HistoryQuery query);

    /** Every entry of an org in sequence order, from {@code afterSequence} (exclusive), at most {@code limit}. */
    List<LedgerEntry> entriesInOrder(OrgId orgId, long afterSequence, int limit);

    /** Orgs that have an open grant due to expire at or before {@code asOf}, at most {@code limit}. */
    List<OrgId> orgsWithGrantsDue(Instant asOf, int limit);

    /** Every grant of an org, open and closed, oldest first. */
    List<CreditGrant> grants(OrgId orgId);

    /** Org ids with an account, in id order, after {@code after} (null = from the start), at most {@code limit}. */
    List<OrgId> accountIds(OrgId after, int limit);
}
