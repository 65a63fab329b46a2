package io.agentbilling.core.port;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.spend.ApiKeyCap;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spend.MemberBudget;
import io.agentbilling.core.spend.SpendSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spend controls: org settings, member budgets, API-key caps, what was spent through each key and what BYOK calls
 * would have cost (the usage rollups hold the rest of a member's spend), and holds. Obtained from {@link Stores}
 * inside a {@link Transactions} unit of work; every method joins that transaction. Methods named {@code lock…} lock
 * the rows for the rest of the transaction; callers that decide on holds hold the org's account lock first (the lock
 * order everywhere: account, then holds).
 */
public interface SpendStore {

    // --- settings, budgets, caps ---

    Optional<SpendSettings> settings(OrgId orgId);

    /** The settings of those of {@code orgIds} that have any (one query for a settlement batch). */
    Map<OrgId, SpendSettings> settings(Collection<OrgId> orgIds);

    /** Inserts or replaces the org's settings. */
    void saveSettings(SpendSettings settings);

    Optional<MemberBudget> budget(OrgId orgId, MemberId memberId);

    /** Every budget of the org, in member id order. */
    List<MemberBudget> budgets(OrgId orgId);

    /** The budgets of these members of these orgs (one query for a settlement batch); unknown ones are absent. */
    Map<MemberRef, MemberBudget> budgets(Collection<MemberRef> members);

    /** Inserts or replaces a member's budget. */
    void saveBudget(MemberBudget budget);

    /** Removes a member's budget, if any. */
    void deleteBudget(OrgId orgId, MemberId memberId);

    Optional<ApiKeyCap> cap(OrgId orgId, ApiKeyId keyId);

    /** Every cap of the org, in key id order. */
    List<ApiKeyCap> caps(OrgId orgId);

    /** Inserts or replaces a key's cap. */
    void saveCap(ApiKeyCap cap);

    void deleteCap(OrgId orgId, ApiKeyId keyId);

    // --- spend counters ---

    /**
     * Adds spend to the per-key monthly counters (upsert): {@code charged} what the ledger charged, {@code byokList}
     * what BYOK calls would have cost at list price.
     */
    void addKeySpend(List<KeySpendIncrement> increments);

    /** What was spent through a key in the month starting {@code monthStart}, and over its whole life. */
    KeySpendTotals keySpend(OrgId orgId, ApiKeyId keyId, LocalDate monthStart);

    /** Adds BYOK calls at list price to the per-member daily counters (upsert). */
    void addMemberByokSpend(List<MemberByokIncrement> increments);

    /** A member's BYOK calls at list price over the UTC days {@code [from, to)}. */
    Credits memberByokSpend(OrgId orgId, MemberId memberId, LocalDate from, LocalDate to);

    /** Every member's BYOK calls at list price over {@code [from, to)}; members with none are absent. */
    Map<MemberId, Credits> memberByokSpendByMember(OrgId orgId, LocalDate from, LocalDate to);

    /** {@link #keySpend} for every key of the org with any spend. */
    Map<ApiKeyId, KeySpendTotals> keySpendByKey(OrgId orgId, LocalDate monthStart);

    // --- holds ---

    /** Inserts a hold unless the org already has one with its idempotency key; true when inserted. */
    boolean insertHold(Hold hold);

    Optional<Hold> findHold(OrgId orgId, HoldId holdId);

    /** A hold found by its id alone (the id is unique; release names only the hold). */
    Optional<Hold> findHold(HoldId holdId);

    Optional<Hold> findHoldByKey(OrgId orgId, String idempotencyKey);

    /** These holds of the org, locked in id order; unknown ids are absent. */
    Map<HoldId, Hold> lockHolds(OrgId orgId, Collection<HoldId> holdIds);

    /**
     * The active hold bound to a sandbox meter, read without a lock (the settlement that captures it locks it after
     * the org's account, in the lock order); empty when there is none.
     */
    Optional<Hold> findActiveHoldOfSandbox(OrgId orgId, String sandboxId);

    /** Replaces a stored hold (by org and id). */
    void updateHold(Hold hold);

    /**
     * What the org's active holds not past their expiry at {@code now} reserve: in all, and of those, the ones
     * placed for {@code memberId} and for {@code keyId} (each zero when null). One statement.
     */
    HeldAmounts held(OrgId orgId, MemberId memberId, ApiKeyId keyId, Instant now);

    /** What the org's active holds reserve at {@code now}, per member they were placed for (others absent). */
    Map<MemberId, Credits> heldByMember(OrgId orgId, Instant now);

    /** What the org's active holds reserve at {@code now}, per key they were placed for (others absent). */
    Map<ApiKeyId, Credits> heldByKey(OrgId orgId, Instant now);

    /** The org's active holds past their expiry at {@code now} (due to be marked expired), locked in id order. */
    List<Hold> lockHoldsDue(OrgId orgId, Instant now);

    /** Orgs with active holds past their expiry at {@code now}, at most {@code limit} (the expiry sweep's scan). */
    List<OrgId> orgsWithHoldsDue(Instant now, int limit);

    /** A member of an org, as a key. */
    record MemberRef(OrgId orgId, MemberId memberId) {}

    record KeySpendIncrement(OrgId orgId, ApiKeyId keyId, LocalDate monthStart, Credits charged, Credits byokList) {}

    record MemberByokIncrement(OrgId orgId, MemberId memberId, LocalDate day, Credits byokList) {}

    /**
     * Spend through a key. Sums past a {@code long} of micros (only list prices can get there) are held at
     * {@code Long.MAX_VALUE}.
     */
    record KeySpendTotals(Credits chargedThisMonth, Credits byokThisMonth, Credits chargedLifetime,
                          Credits byokLifetime) {
        public static final KeySpendTotals NONE = new KeySpendTotals(Credits.ZERO, Credits.ZERO, Credits.ZERO,
                Credits.ZERO);
    }

    record HeldAmounts(Credits byOrg, Credits byMember, Credits byKey) {
        public static final HeldAmounts NONE = new HeldAmounts(Credits.ZERO, Credits.ZERO, Credits.ZERO);
    }
}
