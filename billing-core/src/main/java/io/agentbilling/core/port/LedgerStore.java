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
     * The stored record of a key, if it was used: the outcome of a ledger write (which its entry carries, see
     * {@link #post}) or of any other write that claimed it.
     *
     * @param key the org and key
     * @return the idempotency record, or empty when there is none
     */
    Optional<IdempotencyRecord> findKey(ScopedKey key);

    /**
     * The stored records of the keys among these that were used, as {@link #findKey} finds them, in one read. The
     * posting engine calls it with the accounts of the keys' orgs locked ({@link #lockAccounts}), which makes the
     * answer hold for the rest of the transaction: every ledger write of an org holds its account's lock, and a
     * store's {@link #claimKeys} waits for it. By default one {@link #findKey} per key.
     *
     * @param keys the orgs and keys to look up
     * @return the records of the keys that were used, by key
     */
    default Map<ScopedKey, IdempotencyRecord> findKeys(Collection<ScopedKey> keys) {
        Map<ScopedKey, IdempotencyRecord> found = new java.util.HashMap<>();
        for (ScopedKey key : keys) {
            findKey(key).ifPresent(record -> found.put(key, record));
        }
        return found;
    }

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
     * Writes a batch of postings as {@link #write} does, and records the outcome of each idempotency key the batch
     * used — keys that {@link #findKeys} found unused under the same locks — with one row write per key: a store may
     * keep the outcome of a write that appended an entry in that entry itself (it carries the key; the fingerprint
     * goes with it), and the outcome of a write that moved no money ({@code entryId} null) as a record of its own.
     * Afterwards {@link #findKey} returns exactly these outcomes. By default {@link #write} and then
     * {@link #claimKeys}/{@link #completeKeys}.
     *
     * @param accounts    the new states of the locked accounts
     * @param entries     the entries to append
     * @param grantWrites the new or changed grant lots
     * @param outcomes    one per key, each with its entry's id when it appended one (that entry is among
     *                    {@code entries})
     * @throws IllegalStateException when a key turns out to be taken after all (the accounts were not locked)
     */
    default void post(List<Account> accounts, List<LedgerEntry> entries, List<CreditGrant> grantWrites,
                      List<IdempotencyRecord> outcomes) {
        write(accounts, entries, grantWrites);
        if (!outcomes.isEmpty()) {
            if (!claimKeys(outcomes).isEmpty()) {
                throw new IllegalStateException("an idempotency key of the batch was taken meanwhile");
            }
            completeKeys(outcomes);
        }
    }

    /**
     * The committed state of an account with its open grants, read without locking (for balances). The balance read
     * runs it through {@link Transactions#readOne}, so a store should answer in one statement.
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
     * One entry of an org's ledger. Not for hot paths: a store may keep no index by entry id (the PostgreSQL store
     * scans the org's entries); {@link #findEntryByKey} reads a write's entry back by its key.
     *
     * @param orgId the organization
     * @param entryId the entry
     * @return the ledger entry, or empty when there is none
     */
    Optional<LedgerEntry> findEntry(OrgId orgId, io.agentbilling.core.ledger.EntryId entryId);

    /**
     * The entry that the ledger write with this idempotency key appended, if it appended one. By default the key's
     * record, then its entry.
     *
     * @param orgId          the organization
     * @param idempotencyKey the key the write was sent with
     * @return the entry, or empty when the key was not used or its write appended no entry
     */
    default Optional<LedgerEntry> findEntryByKey(OrgId orgId, String idempotencyKey) {
        return findKey(new ScopedKey(orgId, idempotencyKey))
                .filter(record -> record.entryId() != null)
                .flatMap(record -> findEntry(orgId, record.entryId()));
    }

    /**
     * A page of the ledger, newest first; at most {@code query.limit()} entries.
     *
     * @param query what to read
     * @return the page's entries
     */
    List<LedgerEntry> history(HistoryQuery query);

    /**
     * A page of the ledger as {@link #history} reads it, or empty when the org has no account. The history read runs
     * it through {@link Transactions#readOne}, so a store should answer in one statement; by default
     * {@link #findAccount}, then {@link #history}.
     *
     * @param query what to read
     * @return the page's entries (none when the account has none there), or empty when the org has no account
     */
    default Optional<List<LedgerEntry>> accountHistory(HistoryQuery query) {
        return findAccount(query.orgId()).isEmpty() ? Optional.empty() : Optional.of(history(query));
    }

    /**
     * Every entry of an org in sequence order, from {@code afterSequence} (exclusive), at most {@code limit}.
     *
     * @param orgId the organization
     * @param afterSequence the sequence to continue after (exclusive)
     * @param limit at most this many
     * @return the entries
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
