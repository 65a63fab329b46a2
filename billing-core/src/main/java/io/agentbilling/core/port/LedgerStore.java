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

    /**
     * Opens an empty account for a new org.
     *
     * @param orgId the organization
     * @param at the instant
     */
    void createAccount(OrgId orgId, Instant at);

    /**
     * Claims idempotency keys: inserts each claim unless its (org, key) is already taken — atomically, by a unique
     * constraint, never by a read first. Returns the stored records of the keys that were already taken (complete
     * with their outcome); a key claimed by a concurrent transaction waits for that transaction to finish.
     */
    Map<ScopedKey, IdempotencyRecord> claimKeys(List<IdempotencyRecord> claims);

    /**
     * Records the outcome of keys this transaction claimed.
     */
    void completeKeys(List<IdempotencyRecord> outcomes);

    /**
     * Stored record of a key, if it was used.
     *
     * @return the idempotency record, or empty when there is none
     */
    Optional<IdempotencyRecord> findKey(ScopedKey key);

    /**
     * Locks the accounts of these orgs for the rest of the transaction (in a fixed order, so concurrent batches
     * never deadlock) and returns their state with open grants. Orgs without an account are absent from the map.
     *
     * @param orgIds the organizations
     */
    Map<OrgId, Account> lockAccounts(Collection<OrgId> orgIds);

    /**
     * Writes what {@link io.agentbilling.core.ledger.AccountBook} produced for locked accounts: appends the entries,
     * stores the new account states, inserts or updates the grant lots.
     *
     * @param grantWrites the grant lots to insert or update
     */
    void write(List<Account> accounts, List<LedgerEntry> entries, List<CreditGrant> grantWrites);

    /**
     * The committed state of an account, read without locking (for balances and credit checks).
     *
     * @param orgId the organization
     * @return the account, or empty when there is none
     */
    Optional<Account> findAccount(OrgId orgId);

    /**
     * The committed balance of an org, read without locking: the credit gate's read, which runs on every check a
     * platform service makes. A store answers it with one statement; by default it reads the whole account.
     *
     * @param orgId the organization
     * @return the credits, or empty when there is none
     */
    default Optional<Credits> findBalance(OrgId orgId) {
        return findAccount(orgId).map(Account::balance);
    }

    /**
     * One entry of an org's ledger.
     *
     * @param orgId the organization
     * @param entryId the entry
     * @return the ledger entry, or empty when there is none
     */
    Optional<LedgerEntry> findEntry(OrgId orgId, io.agentbilling.core.ledger.EntryId entryId);

    /**
     * A page of the ledger, newest first; at most {@code query.limit()} entries.
     *
     * @param query what to read
     */
    List<LedgerEntry> history(HistoryQuery query);

    /**
     * Every entry of an org in sequence order, from {@code afterSequence} (exclusive), at most {@code limit}.
     *
     * @param orgId the organization
     * @param afterSequence the sequence to continue after (exclusive)
     * @param limit at most this many
     */
    List<LedgerEntry> entriesInOrder(OrgId orgId, long afterSequence, int limit);

    /**
     * Orgs that have an open grant due to expire at or before {@code asOf}, at most {@code limit}.
     *
     * @param asOf the instant
     * @param limit at most this many
     * @return the orgs with grants due
     */
    List<OrgId> orgsWithGrantsDue(Instant asOf, int limit);

    /**
     * Every grant of an org, open and closed, oldest first.
     *
     * @param orgId the organization
     */
    List<CreditGrant> grants(OrgId orgId);

    /**
     * Org ids with an account, in id order, after {@code after} (null = from the start), at most {@code limit}.
     *
     * @param after where to continue after (exclusive); null = from the start
     * @param limit at most this many
     */
    List<OrgId> accountIds(OrgId after, int limit);
}
