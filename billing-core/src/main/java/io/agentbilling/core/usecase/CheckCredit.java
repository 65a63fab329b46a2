package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Admission;
import io.agentbilling.core.spend.LimitKind;
import io.agentbilling.core.spend.SpendSnapshot;
import io.agentbilling.core.spendcontrol.SpendReader;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The credit gate platform services ask before starting billable work: one admission decision over the org's
 * wallet (its balance less its active holds), and when the work names them, the member's budget and the API key's
 * cap (each limit less what was spent in its period less its active holds), all read in one consistent snapshot
 * (a read-only transaction) without locks, so it never waits on settlement. Without an estimate, it asks whether
 * every limit that applies has anything left. It reserves nothing: {@link PlaceHold} does. Thread-safe.
 */
public final class CheckCredit {
    /** Refused by the org's balance. */
    public static final String INSUFFICIENT_CREDITS = "insufficient_credits";
    /** Refused by a member's budget or a key's cap. */
    public static final String SPEND_LIMIT_REACHED = "spend_limit_reached";

    private final Transactions transactions;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock        what "today" and "this month" are for budgets and caps, and which holds have expired
     */
    public CheckCredit(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What to check: whether the org (and the member and key, when named) have anything left, or enough for an
     * estimate. Build with {@link #balanceOf} or {@link #estimatedCents}, then {@link #forMember} and
     * {@link #throughKey}.
     *
     * @param orgId    the org
     * @param estimate what the work is expected to cost; null = is anything left
     * @param memberId the member doing the work, whose budget applies; null for none
     * @param apiKeyId the API key the work goes through, whose cap applies; null for none
     */
    public record Command(OrgId orgId, Credits estimate, MemberId memberId, ApiKeyId apiKeyId) {
        /**
         * @param estimate what the work is expected to cost; null = is the balance positive
         * @param orgId the org
         * @throws BillingException {@code BAD_REQUEST} naming {@code estimatedCents} for a negative estimate
         */
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            if (estimate != null && estimate.isNegative()) {
                throw BillingException.invalid("estimatedCents", "must be >= 0");
            }
        }

        /** A check of the org alone. */
        public Command(OrgId orgId, Credits estimate) {
            this(orgId, estimate, null, null);
        }

        /**
         * Is the org's available credit positive?
         *
         * @param orgId the org
         * @return a check without an estimate
         */
        public static Command balanceOf(OrgId orgId) {
            return new Command(orgId, null);
        }

        /**
         * Does the org's available credit cover {@code cents}?
         *
         * @param orgId the org
         * @param cents the estimate in cents, 0 to one billion dollars
         * @return a check of the estimate
         * @throws BillingException {@code BAD_REQUEST} naming {@code estimatedCents} when it is out of range
         */
        public static Command estimatedCents(OrgId orgId, long cents) {
            return new Command(orgId, CreditAmounts.cents("estimatedCents", cents, CreditAmounts.Sign.NON_NEGATIVE));
        }

        /**
         * This check, also against the member's budget.
         *
         * @param member the member, or null for none
         * @return a new command
         */
        public Command forMember(MemberId member) {
            return new Command(orgId, estimate, member, apiKeyId);
        }

        /**
         * This check, also against the key's cap.
         *
         * @param key the key, or null for none
         * @return a new command
         */
        public Command throughKey(ApiKeyId key) {
            return new Command(orgId, estimate, memberId, key);
        }
    }

    /**
     * The answer.
     *
     * @param balance   the org's committed balance
     * @param held      what the org's active holds reserve
     * @param available the balance less the holds
     * @param reason    null when allowed; {@link #INSUFFICIENT_CREDITS} or {@link #SPEND_LIMIT_REACHED}
     * @param limitedBy the limit that refused; null when allowed
     * @param limits    every limit that applies, with what remains under it
     */
    public record Result(boolean allowed, Credits balance, Credits held, Credits available, String reason,
                         LimitKind limitedBy, List<Admission.Limit> limits) {
        public Result {
            limits = List.copyOf(limits);
        }

        /** The row of {@code kind}, or null when that limit does not apply. */
        public Admission.Limit limit(LimitKind kind) {
            return limits.stream().filter(l -> l.kind() == kind).findFirst().orElse(null);
        }
    }

    /**
     * Reads the org's balance and holds, and the member's and key's spend, in one snapshot, and decides.
     *
     * @param command the org, the estimate, the member and key
     * @return the answer and every limit that applies
     * @throws BillingException {@code NOT_FOUND} when the org does not exist; {@code UNPROCESSABLE} naming
     *                          {@code memberId} or {@code apiKeyId} for a member or key that is not the org's
     */
    public Result execute(Command command) {
        Instant now = clock.instant();
        SpendSnapshot snapshot = transactions.read(stores -> snapshot(stores, command, now));
        Admission.Decision decision = Admission.decide(snapshot, command.estimate());
        String reason = decision.allowed() ? null
                : decision.limitedBy() == LimitKind.ORG_BALANCE ? INSUFFICIENT_CREDITS : SPEND_LIMIT_REACHED;
        return new Result(decision.allowed(), snapshot.balance(), snapshot.heldByOrg(), snapshot.available(), reason,
                decision.limitedBy(), decision.limits());
    }

    private static SpendSnapshot snapshot(Stores stores, Command command, Instant now) {
        Credits balance = stores.ledger().findBalance(command.orgId())
                .orElseThrow(() -> BillingException.notFound("organization"));
        SpendControlChecks.requireMemberAndKey(stores, command.orgId(), command.memberId(), command.apiKeyId());
        return SpendReader.snapshot(stores, command.orgId(), balance, command.memberId(), command.apiKeyId(), now);
    }
}
