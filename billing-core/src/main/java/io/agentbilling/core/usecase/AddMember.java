package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Adds a member to an organization (internal API). With an idempotency key, adding again with the same key returns
 * the member the first call created (the same email and role; another one is {@code IDEMPOTENCY_CONFLICT}), so a
 * service that provisions its users at every start creates each member once. Member keys live in the org's key space
 * apart from settlement keys: the same string may name a member and a settlement. Thread-safe.
 */
public final class AddMember {
    public static final int MAX_EMAIL_CHARS = 254;
    /** A shape check only (one @, something on each side, a dot in the domain, no spaces); mail proves the rest. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    private final Transactions transactions;
    private final Clock clock;
    private final IdGenerator ids;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     * @param ids the source of ids and secrets
     */
    public AddMember(Transactions transactions, Clock clock, IdGenerator ids) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** Prefix of member keys in the org's idempotency key space, which settlements share. */
    static final String KEY_PREFIX = "add-member:";

    /**
     * @param email          optional (null)
     * @param idempotencyKey optional (null: every call adds a new member); 1 to {@link #MAX_KEY_LENGTH} characters
     */
    public record Command(OrgId orgId, String email, Role role, String idempotencyKey) {
        public static final int MAX_KEY_LENGTH = Posting.MAX_KEY_LENGTH - KEY_PREFIX.length();

        /**
         * Without an idempotency key: every call adds a new member.
         *
         * @param orgId the organization
         * @param email the email address; may be null
         */
        public Command(OrgId orgId, String email, Role role) {
            this(orgId, email, role, null);
        }

        /**
         * @param email optional (null)
         * @param idempotencyKey optional (null: every call adds a new member); 1 to {@link #MAX_KEY_LENGTH}
         *     characters
         * @param orgId the organization
         */
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            Commands.optionalIdempotencyKey(idempotencyKey, MAX_KEY_LENGTH);
            if (role == null) {
                throw BillingException.invalid("role", "is required");
            }
            if (email != null && (email.length() > MAX_EMAIL_CHARS || !EMAIL.matcher(email).matches())) {
                throw BillingException.invalid("email", "is not an email address");
            }
            Commands.requireStorableText("email", email);
        }
    }

    /**
     * The member added, or for a replay (the same key again) the member the first call added.
     *
     * @param member   the member
     * @param replayed whether an earlier call with the same key added it
     */
    public record Result(Member member, boolean replayed) {}

    /**
     * Adds the member (or returns the one the same key added).
     *
     * @param command the member to add
     * @return the member, and whether this was a replay
     * @throws BillingException {@code NOT_FOUND} when the org does not exist; {@code IDEMPOTENCY_CONFLICT} for a key
     *                          used to add a member with another email or role
     */
    public Result execute(Command command) {
        String fingerprint = Fingerprint.of("add-member", String.valueOf(command.email()), command.role().name());
        return transactions.inTransaction(stores -> {
            if (stores.directory().findOrg(command.orgId()).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            Instant now = clock.instant();
            IdempotencyRecord claim = null;
            if (command.idempotencyKey() != null) {
                claim = IdempotencyRecord.claim(command.orgId(), KEY_PREFIX + command.idempotencyKey(), fingerprint, now);
                IdempotencyRecord earlier = stores.ledger().claimKeys(List.of(claim)).get(claim.scopedKey());
                if (earlier != null) {
                    return new Result(replay(stores, command.orgId(), earlier, fingerprint), true);
                }
            }
            Member member = new Member(new MemberId(ids.newId()), command.orgId(), command.email(), command.role(), now);
            stores.directory().insertMember(member);
            if (claim != null) {
                stores.ledger().completeKeys(List.of(
                        claim.withOutcome(null, Credits.ZERO, Credits.ZERO, member.id().value().toString())));
            }
            return new Result(member, false);
        });
    }

    private static Member replay(Stores stores, OrgId orgId, IdempotencyRecord earlier, String fingerprint) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw BillingException.of(BillingError.IDEMPOTENCY_CONFLICT,
                    "idempotency key was already used to add a member with another email or role");
        }
        MemberId memberId = MemberId.of(earlier.resultRef());
        return stores.directory().findMember(orgId, memberId)
                .orElseThrow(() -> new IllegalStateException("replayed member missing: " + memberId));
    }
}
