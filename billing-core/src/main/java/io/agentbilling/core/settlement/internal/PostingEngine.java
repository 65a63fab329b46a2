package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.ledger.AccountBook;
import io.agentbilling.core.ledger.CreditGrant;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.ledger.GrantId;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.ledger.IdempotencyRecord.ScopedKey;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.spend.SpendAttribution;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageRecord;
import io.agentbilling.core.usage.UsageWindow;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a batch of postings — one or a thousand, for one org or many — inside the caller's unit of work, as one
 * short sequence of store calls: lock the accounts (in org order, with their open grant lots), look the idempotency
 * keys up (under those locks), compute entries with {@link AccountBook}, write entries with their keys' outcomes,
 * balances and changed grant lots ({@link io.agentbilling.core.port.LedgerStore#post}), the usage rollups, and let
 * the {@link BalanceWatcher} react. Per batch, each org's balance row is written once, each grant lot once when its
 * remainder changed, each rollup cell once, and each settlement is one appended row.
 *
 * <p>Each request gets its own result: a rejected request (unknown org or member, a key reused with another
 * payload) does not sink the others. Thread-safe: holds no mutable state.
 */
public final class PostingEngine {
    private final Clock clock;
    private final IdGenerator ids;
    private final BalanceWatcher watcher;
    private final SettlementHook hook;

    /**
     * @param clock the clock that tells the time
     * @param ids the source of ids and secrets
     */
    public PostingEngine(Clock clock, IdGenerator ids, BalanceWatcher watcher) {
        this(clock, ids, watcher, SettlementHook.NONE);
    }

    /** @param hook the spend controls' part of every posting transaction (holds, key spend, events) */
    public PostingEngine(Clock clock, IdGenerator ids, BalanceWatcher watcher, SettlementHook hook) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.hook = Objects.requireNonNull(hook, "hook");
    }

    /**
     * A posting and the usage it settles.
     *
     * @param usageAt      when the usage happened (its rollup day); ignored when there is no usage
     * @param usageAtField the request field the caller named {@code usageAt} in ({@code occurredAt}, {@code from}),
     *                     or null when {@code usageAt} is the server's clock: a caller's time must not precede the
     *                     org's creation, which only the engine knows (422 naming the field)
     * @param spend        the hold it captures, the key it is spent through, a BYOK call's list price
     *                     ({@link SpendAttribution#NONE} for none)
     */
    public record Request(Posting posting, List<UsageAmounts> usage, Instant usageAt, String usageAtField,
                          SpendAttribution spend) {
        public Request {
            Objects.requireNonNull(posting, "posting");
            usage = usage == null ? List.of() : List.copyOf(usage);
            if (usageAtField != null) {
                Objects.requireNonNull(usageAt, "usageAt");
            }
            spend = spend == null ? SpendAttribution.NONE : spend;
        }

        public Request(Posting posting, List<UsageAmounts> usage, Instant usageAt, String usageAtField) {
            this(posting, usage, usageAt, usageAtField, SpendAttribution.NONE);
        }

        /** This request with what it tells the spend controls. */
        public Request withSpend(SpendAttribution attribution) {
            return new Request(posting, usage, usageAt, usageAtField, attribution);
        }

        /**
         * Usage at the server's clock.
         */
        public Request(Posting posting, List<UsageAmounts> usage, Instant usageAt) {
            this(posting, usage, usageAt, null);
        }

        /**
         * Creates one of the given values.
         */
        public static Request of(Posting posting) {
            return new Request(posting, List.of(), null, null);
        }
    }

    /**
     * The result of one request: its idempotency record (the original outcome, or the replayed one), or the reason
     * it was refused ({@code error}, {@code message}, the fields at fault in {@code details}, and for a failure that
     * is a bug rather than a refusal, its {@code cause}, for the log).
     */
    public record Result(IdempotencyRecord record, boolean replayed, BillingError error, String message,
                         List<FieldIssue> details, Throwable cause) {
        /**
         * @param cause the underlying failure, kept for the log
         * @param details the fields at fault
         * @param error the kind of error
         * @param message a sentence for a person
         * @param replayed whether this is the replay of an earlier request
         */
        public Result {
            details = details == null ? List.of() : List.copyOf(details);
        }

        static Result applied(IdempotencyRecord record) {
            return new Result(record, false, null, null, List.of(), null);
        }

        static Result replayed(IdempotencyRecord record) {
            return new Result(record, true, null, null, List.of(), null);
        }

        static Result rejected(BillingError error, String message) {
            return new Result(null, false, error, message, List.of(), null);
        }

        /**
         * The request refused for the reason {@code refusal} gives.
         */
        public static Result refused(BillingException refusal) {
            return new Result(null, false, refusal.error(), refusal.getMessage(), refusal.details(),
                    refusal.getCause());
        }

        public boolean isRejected() {
            return error != null;
        }

        /**
         * A fresh exception standing for this refusal, to throw to the caller that asked for it.
         */
        public BillingException toException() {
            if (!isRejected()) {
                throw new IllegalStateException("the request was not refused");
            }
            return BillingException.of(error, message, details, cause);
        }
    }

    /**
     * Posts the requests in the caller's transaction; results are in request order.
     *
     * @param stores the stores of the unit of work
     */
    public List<Result> post(Stores stores, List<Request> requests) {
        Instant now = clock.instant();
        Result[] results = new Result[requests.size()];
        Set<OrgId> orgIds = new HashSet<>();
        requests.forEach(r -> orgIds.add(r.posting().orgId()));
        Map<OrgId, Account> accounts = stores.ledger().lockAccounts(orgIds);

        List<Integer> valid = validate(stores, requests, accounts, results);
        hook.refusals(stores, requests, valid).forEach((i, refusal) -> results[i] = Result.refused(refusal));
        valid.removeIf(i -> results[i] != null);

        // The first request of a key in this batch writes it; later ones with the same key replay or conflict. The
        // accounts are locked, so the keys found unused here stay unused until this transaction commits: every
        // ledger write of an org takes its account's lock first. A key is then recorded by the one row that its
        // write appends (LedgerStore.post), never claimed first and completed after.
        Map<ScopedKey, Integer> firstByKey = new LinkedHashMap<>();
        for (int i : valid) {
            Posting p = requests.get(i).posting();
            firstByKey.putIfAbsent(new ScopedKey(p.orgId(), p.idempotencyKey()), i);
        }
        Map<ScopedKey, IdempotencyRecord> taken = firstByKey.isEmpty() ? Map.of()
                : stores.ledger().findKeys(List.copyOf(firstByKey.keySet()));

        Map<OrgId, List<Integer>> toApply = new TreeMap<>();
        for (Map.Entry<ScopedKey, Integer> first : firstByKey.entrySet()) {
            int i = first.getValue();
            IdempotencyRecord earlier = taken.get(first.getKey());
            if (earlier != null) {
                results[i] = replayOrConflict(earlier, requests.get(i).posting());
            } else {
                toApply.computeIfAbsent(first.getKey().orgId(), o -> new ArrayList<>()).add(i);
            }
        }

        List<Account> accountWrites = new ArrayList<>();
        List<LedgerEntry> entryWrites = new ArrayList<>();
        List<CreditGrant> grantWrites = new ArrayList<>();
        List<IdempotencyRecord> outcomes = new ArrayList<>();
        List<UsageRecord> usage = new ArrayList<>();
        List<AccountBook.Applied> applied = new ArrayList<>();
        List<SettlementHook.Applied> appliedRequests = new ArrayList<>();
        for (Map.Entry<OrgId, List<Integer>> org : toApply.entrySet()) {
            List<Integer> indexes = org.getValue();
            List<Posting> postings = indexes.stream().map(i -> requests.get(i).posting()).toList();
            AccountBook.Applied result = AccountBook.apply(accounts.get(org.getKey()), postings, now,
                    () -> new EntryId(ids.newId()), () -> new GrantId(ids.newId()));
            applied.add(result);
            accountWrites.add(result.after());
            entryWrites.addAll(result.entries());
            grantWrites.addAll(result.grantWrites());
            for (int n = 0; n < indexes.size(); n++) {
                int i = indexes.get(n);
                Request request = requests.get(i);
                AccountBook.Outcome outcome = result.outcomes().get(n);
                IdempotencyRecord record = IdempotencyRecord.claim(org.getKey(), request.posting().idempotencyKey(),
                        request.posting().fingerprint(), now)
                        .withOutcome(outcome.entryId(), outcome.amount(), outcome.balanceAfter(), null);
                outcomes.add(record);
                results[i] = Result.applied(record);
                appliedRequests.add(new SettlementHook.Applied(request, record));
                LocalDate day = LocalDate.ofInstant(request.usageAt() == null ? now : request.usageAt(), ZoneOffset.UTC);
                request.usage().forEach(u -> usage.add(new UsageRecord(org.getKey(), day, u)));
            }
        }
        if (!accountWrites.isEmpty()) {
            stores.ledger().post(accountWrites, entryWrites, grantWrites, outcomes);
        }
        if (!usage.isEmpty()) {
            stores.usage().record(usage);
        }
        if (!applied.isEmpty()) {
            watcher.afterPostings(stores, applied, now);
            hook.afterPostings(stores, applied, appliedRequests, now);
        }

        // Duplicates within the batch resolve against the first request of their key.
        for (int i : valid) {
            if (results[i] == null) {
                Posting p = requests.get(i).posting();
                Result first = results[firstByKey.get(new ScopedKey(p.orgId(), p.idempotencyKey()))];
                results[i] = first.isRejected() ? first : replayOrConflict(first.record(), p);
            }
        }
        return List.of(results);
    }

    /**
     * Expires the due grants of these orgs (one {@code expiry} entry per grant with credit left), in the caller's
     * transaction. Posting anything to an org does this too; this is for orgs that are otherwise idle.
     *
     * @param stores the stores of the unit of work
     * @param orgIds the organizations
     * @return the number of orgs whose ledger changed
     */
    public int expireDueGrants(Stores stores, Collection<OrgId> orgIds) {
        Instant now = clock.instant();
        Map<OrgId, Account> accounts = stores.ledger().lockAccounts(orgIds);
        int changed = 0;
        for (Account account : accounts.values()) {
            if (!hasGrantsDue(account, now)) {
                continue;
            }
            AccountBook.Applied result = AccountBook.apply(account, List.of(), now,
                    () -> new EntryId(ids.newId()), () -> new GrantId(ids.newId()));
            stores.ledger().write(List.of(result.after()), result.entries(), result.grantWrites());
            watcher.afterPosting(stores, result, now);
            hook.afterPostings(stores, List.of(result), List.of(), now);
            changed++;
        }
        return changed;
    }

    private static boolean hasGrantsDue(Account account, Instant now) {
        return account.openGrants().stream().anyMatch(g -> g.expires() && !g.expiresAt().isAfter(now));
    }

    private static List<Integer> validate(Stores stores, List<Request> requests, Map<OrgId, Account> accounts,
                                          Result[] results) {
        Map<OrgId, Set<MemberId>> membersByOrg = new HashMap<>();
        for (Request r : requests) {
            if (r.posting().memberId() != null && accounts.containsKey(r.posting().orgId())) {
                membersByOrg.computeIfAbsent(r.posting().orgId(), o -> new HashSet<>()).add(r.posting().memberId());
            }
        }
        Map<OrgId, Set<MemberId>> known = membersByOrg.isEmpty() ? Map.of()
                : stores.directory().existingMembers(membersByOrg);
        Map<OrgId, Instant> created = creationTimesOfOrgsWithCallerTimes(stores, requests, accounts);

        List<Integer> valid = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            Posting p = r.posting();
            if (!accounts.containsKey(p.orgId())) {
                results[i] = Result.rejected(BillingError.NOT_FOUND, "organization not found");
            } else if (p.memberId() != null && !known.get(p.orgId()).contains(p.memberId())) {
                results[i] = Result.rejected(BillingError.UNPROCESSABLE, "memberId is not a member of this organization");
            } else if (r.usageAtField() != null && r.usageAt().isBefore(created.get(p.orgId()))) {
                results[i] = Result.refused(UsageWindow.beforeOrgCreated(r.usageAtField(), created.get(p.orgId())));
            } else {
                valid.add(i);
            }
        }
        return valid;
    }

    /** One directory read per batch, and none when every usage time is the server's own. */
    private static Map<OrgId, Instant> creationTimesOfOrgsWithCallerTimes(Stores stores, List<Request> requests,
                                                                         Map<OrgId, Account> accounts) {
        Set<OrgId> orgs = new HashSet<>();
        for (Request r : requests) {
            if (r.usageAtField() != null && accounts.containsKey(r.posting().orgId())) {
                orgs.add(r.posting().orgId());
            }
        }
        return orgs.isEmpty() ? Map.of() : stores.directory().creationTimes(orgs);
    }


    private static Result replayOrConflict(IdempotencyRecord earlier, Posting posting) {
        if (earlier.fingerprint().equals(posting.fingerprint())) {
            return Result.replayed(earlier);
        }
        return Result.rejected(BillingError.IDEMPOTENCY_CONFLICT,
                "idempotency key was already used with a different payload");
    }
}
