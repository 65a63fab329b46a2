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
 * @param resource    what was charged ({@code model}, {@code sandbox}, {@code storage}, {@code tool}, a resource
 *                    name); empty for credits
 * @param referenceId the caller's reference (checkout session, payment intent, usage request id); may be empty
 * @param memberId    the member whose usage this was; null for org-level entries
 */
public record LedgerEntry(
        EntryId id,
        OrgId orgId,
        long sequence,
        EntryType type,
        Credits amount,
        Credits balanceAfter,
        String resource,
        String description,
        String referenceId,
        MemberId memberId,
        String idempotencyKey,
        Instant createdAt) {
    public LedgerEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(balanceAfter, "balanceAfter");
        Objects.requireNonNull(createdAt, "createdAt");
        resource = resource == null ? "" : resource;
        description = description == null ? "" : description;
        referenceId = referenceId == null ? "" : referenceId;
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1");
        }
        if (!type.allowsSign(Long.signum(amount.micros()))) {
            throw new IllegalArgumentException(type.wireName() + " entry cannot have amount " + amount);
        }
    }
}
