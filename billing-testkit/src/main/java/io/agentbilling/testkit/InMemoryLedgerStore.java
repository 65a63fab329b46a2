package io.agentbilling.testkit;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.CreditGrant;
import io.agentbilling.core.ledger.GrantId;
import io.agentbilling.core.ledger.HistoryQuery;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.IdempotencyRecord.ScopedKey;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.port.LedgerStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory {@link LedgerStore}; mutations are journaled for rollback by {@link InMemoryTransactions}. */
final class InMemoryLedgerStore implements LedgerStore {
    private static final Comparator<OrgId> ORG_ORDER = Comparator.naturalOrder();

    private final InMemoryTransactions tx;
    private final Map<OrgId, Account> accounts = new HashMap<>();
    private final Map<OrgId, List<LedgerEntry>> entries = new HashMap<>();
    private final Map<GrantId, CreditGrant> grants = new LinkedHashMap<>();
    private final Map<ScopedKey, IdempotencyRecord> keys = new HashMap<>();

    InMemoryLedgerStore(InMemoryTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void createAccount(OrgId orgId, Instant at) {
        tx.requireTransaction();
        if (accounts.containsKey(orgId)) {
            throw new IllegalStateException("account exists: " + orgId);
        }
        accounts.put(orgId, Account.empty(orgId));
        entries.put(orgId, new ArrayList<>());
        tx.onRollback(() -> {
            accounts.remove(orgId);
            entries.remove(orgId);
        });
    }

    @Override
    public Map<ScopedKey, IdempotencyRecord> claimKeys(List<IdempotencyRecord> claims) {
        tx.requireTransaction();
        Map<ScopedKey, IdempotencyRecord> taken = new HashMap<>();
        for (IdempotencyRecord claim : claims) {
            ScopedKey key = claim.scopedKey();
            IdempotencyRecord existing = keys.get(key);
            if (existing != null) {
                taken.put(key, existing);
            } else {
                keys.put(key, claim);
                tx.onRollback(() -> keys.remove(key));
            }
        }
        return taken;
    }

    @Override
    public void completeKeys(List<IdempotencyRecord> outcomes) {
        tx.requireTransaction();
        for (IdempotencyRecord outcome : outcomes) {
            ScopedKey key = outcome.scopedKey();
            IdempotencyRecord previous = keys.get(key);
            if (previous == null || !previous.fingerprint().equals(outcome.fingerprint())) {
                throw new IllegalStateException("completing a key that was not claimed: " + key);
            }
            keys.put(key, outcome);
            tx.onRollback(() -> keys.put(key, previous));
        }
    }

    @Override
    public Optional<IdempotencyRecord> findKey(ScopedKey key) {
        tx.requireTransaction();
        return Optional.ofNullable(keys.get(key));
    }

    @Override
    public Map<OrgId, Account> lockAccounts(Collection<OrgId> orgIds) {
        tx.requireTransaction();
        Map<OrgId, Account> locked = new LinkedHashMap<>();
        orgIds.stream().sorted(ORG_ORDER).forEach(id -> {
            Account account = accounts.get(id);
            if (account != null) {
                locked.put(id, account);
            }
        });
        return locked;
    }

    @Override
    public void write(List<Account> newStates, List<LedgerEntry> newEntries, List<CreditGrant> grantWrites) {
        tx.requireTransaction();
        for (Account account : newStates) {
            Account previous = accounts.get(account.orgId());
            if (previous == null) {
                throw new IllegalStateException("no account " + account.orgId());
            }
            accounts.put(account.orgId(), account);
            tx.onRollback(() -> accounts.put(account.orgId(), previous));
        }
        for (LedgerEntry entry : newEntries) {
            List<LedgerEntry> list = entries.get(entry.orgId());
            long expected = list.isEmpty() ? 1 : list.get(list.size() - 1).sequence() + 1;
            if (entry.sequence() != expected) {
                throw new IllegalStateException("entry sequence " + entry.sequence() + " but expected " + expected);
            }
            list.add(entry);
            tx.onRollback(() -> list.remove(list.size() - 1));
        }
        for (CreditGrant grant : grantWrites) {
            CreditGrant previous = grants.put(grant.id(), grant);
            tx.onRollback(() -> {
                if (previous == null) {
                    grants.remove(grant.id());
                } else {
                    grants.put(grant.id(), previous);
                }
            });
        }
    }

    @Override
    public Optional<Account> findAccount(OrgId orgId) {
        tx.requireTransaction();
        return Optional.ofNullable(accounts.get(orgId));
    }

    @Override
    public Optional<LedgerEntry> findEntry(OrgId orgId, io.agentbilling.core.ledger.EntryId entryId) {
        tx.requireTransaction();
        return entries.getOrDefault(orgId, List.of()).stream().filter(e -> e.id().equals(entryId)).findFirst();
    }

    @Override
    public List<LedgerEntry> history(HistoryQuery query) {
        tx.requireTransaction();
        List<LedgerEntry> list = entries.getOrDefault(query.orgId(), List.of());
        List<LedgerEntry> page = new ArrayList<>();
        for (int i = list.size() - 1; i >= 0 && page.size() < query.limit(); i--) {
            LedgerEntry e = list.get(i);
            if (query.beforeSequence() != null && e.sequence() >= query.beforeSequence()) {
                continue;
            }
            if (!query.types().isEmpty() && !query.types().contains(e.type())) {
                continue;
            }
            if (query.from() != null && e.createdAt().isBefore(query.from())) {
                continue;
            }
            if (query.to() != null && !e.createdAt().isBefore(query.to())) {
                continue;
            }
            page.add(e);
        }
        return page;
    }

    @Override
    public List<LedgerEntry> entriesInOrder(OrgId orgId, long afterSequence, int limit) {
        tx.requireTransaction();
        return entries.getOrDefault(orgId, List.of()).stream()
                .filter(e -> e.sequence() > afterSequence)
                .limit(limit)
                .toList();
    }

    @Override
    public List<OrgId> orgsWithGrantsDue(Instant asOf, int limit) {
        tx.requireTransaction();
        return grants.values().stream()
                .filter(g -> g.isOpen() && g.expires() && !g.expiresAt().isAfter(asOf))
                .map(CreditGrant::orgId)
                .distinct()
                .sorted(ORG_ORDER)
                .limit(limit)
                .toList();
    }

    @Override
    public List<CreditGrant> grants(OrgId orgId) {
        tx.requireTransaction();
        return grants.values().stream()
                .filter(g -> g.orgId().equals(orgId))
                .sorted(Comparator.comparing(CreditGrant::grantedAt).thenComparing(g -> g.id().value()))
                .toList();
    }

    @Override
    public List<OrgId> accountIds(OrgId after, int limit) {
        tx.requireTransaction();
        return accounts.keySet().stream()
                .filter(id -> after == null || ORG_ORDER.compare(id, after) > 0)
                .sorted(ORG_ORDER)
                .limit(limit)
                .toList();
    }
}
