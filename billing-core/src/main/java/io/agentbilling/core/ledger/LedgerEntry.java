package io.agentbilling.core.ledger;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * One immutable line of an org's ledger. {@code sequence} numbers an org's entries 1, 2, 3… with no gaps, and
 * entries chain: {@code balanceAfter(n) == balanceAfter(n-1) + amount(n)}.
 *
 * @param text     what was charged, the description and the caller's reference
 * @param memberId the member whose usage this was; null for org-level entries
 */
public record LedgerEntry(
        EntryId id,
        OrgId orgId,
        long sequence,
        EntryType type,
        Credits amount,
        Credits balanceAfter,
        EntryText text,
        MemberId memberId,
        String idempotencyKey,
        Instant createdAt) {
    /**
     * @param balanceAfter the balance right after it
     * @param createdAt when it was created
     * @param idempotencyKey the caller's idempotency key
     * @param memberId the member whose usage this was; null for org-level entries
     * @param orgId the organization
     * @param sequence the sequence number
     * @param text what was charged, the description and the caller's reference
     */
    public LedgerEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(balanceAfter, "balanceAfter");
        Objects.requireNonNull(createdAt, "createdAt");
        text = text == null ? EntryText.NONE : text;
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1");
        }
        if (!type.allowsSign(Long.signum(amount.micros()))) {
            throw new IllegalArgumentException(type.wireName() + " entry cannot have amount " + amount);
        }
    }

    /** @return what was charged; empty for credits */
    public String resource() {
        return text.resource();
    }

    /** @return the line shown in the credit history */
    public String description() {
        return text.description();
    }

    /** @return the caller's reference; may be empty */
    public String referenceId() {
        return text.referenceId();
    }
}
