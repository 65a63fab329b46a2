package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.port.PaymentGateway;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a checkout on the success page (API.md A6): asks the provider for the session (outside any transaction)
 * and, when it is paid, credits the org exactly once — the same credit, under the same idempotency key, as the
 * webhook's, so whichever arrives second replays the first. A session of another org, by the provider's copy or by
 * our record, is not found, like an unknown one. Thread-safe.
 */
public final class VerifyCheckout {
    public static final int MAX_SESSION_ID_CHARS = 255;

    private final Transactions transactions;
    private final PaymentGateway gateway;
    private final Clock clock;
    private final PaymentOutcomes outcomes;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param gateway the payment provider
     * @param engine the posting engine
     * @param clock the clock that tells the time
     */
    public VerifyCheckout(Transactions transactions, PaymentGateway gateway, PostingEngine engine, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outcomes = new PaymentOutcomes(engine);
    }

    public record Command(Caller caller, String sessionId) {
        /**
         * @param sessionId the checkout session id
         */
        public Command {
            Objects.requireNonNull(caller, "caller");
            if (sessionId == null || sessionId.isBlank() || sessionId.length() > MAX_SESSION_ID_CHARS) {
                throw BillingException.invalid("session_id", "must have 1.." + MAX_SESSION_ID_CHARS + " characters");
            }
            Commands.requireStorableText("session_id", sessionId);
        }
    }

    /** The session's state as the API names it. */
    public enum Status {
        /** Paid: the org is credited (once). */
        PAID("paid"),
        /** Closed without payment, or the payment failed. */
        UNPAID("unpaid"),
        /** Still open: the payer has not finished. */
        OPEN("open"),
        /** The session expired before it was paid. */
        EXPIRED("expired");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /**
         * Creates one of the given values.
         */
        public static Status of(CheckoutSession session) {
            if (session.paid()) {
                return PAID;
            }
            return switch (session.state()) {
                case OPEN -> OPEN;
                case EXPIRED -> EXPIRED;
                case COMPLETE -> UNPAID;
            };
        }
    }

    /**
     * @param credited true once the top-up is on the ledger
     * @param balance  the org's balance now (after the credit, when there was one)
     * @param entryId  the ledger entry of the credit; null until credited
     */
    public record Result(String sessionId, Status status, long amountCents, boolean credited, Credits balance,
                         EntryId entryId) {}

    /**
     * Asks the provider for the session and, when it is paid, credits the org once.
     *
     * @param command who asks, and the session
     * @return whether the session is paid and credited, and the entry
     * @throws BillingException {@code NOT_FOUND} for an unknown session or one of another org; {@code CONFLICT} when
     *                          the provider's session does not match the checkout we opened (nothing is credited);
     *                          {@code PAYMENT_PROVIDER_ERROR} when the provider fails
     */
    public Result execute(Command command) {
        OrgId orgId = command.caller().orgId();
        CheckoutSession session = gateway.fetchCheckoutSession(command.sessionId())
                .filter(s -> orgId.equals(s.orgId()))
                .orElseThrow(() -> BillingException.notFound("checkout session"));
        return transactions.inTransaction(stores -> {
            Instant now = clock.instant();
            Optional<CheckoutRecord> record = stores.payments().findCheckout(session.id());
            if (record.isPresent() && !record.get().orgId().equals(orgId)) {
                throw BillingException.notFound("checkout session");
            }
            if (record.isPresent() && record.get().amountCents() != session.amountCents()) {
                throw BillingException.of(BillingError.CONFLICT,
                        "the provider's session does not match the checkout we opened; it was not credited");
            }
            EntryId entryId = session.paid()
                    ? outcomes.creditCheckout(stores, orgId, session, now).entryId()
                    : PaymentOutcomes.checkoutCredit(stores, orgId, session.id())
                            .map(IdempotencyRecord::entryId).orElse(null);
            return new Result(session.id(), Status.of(session), session.amountCents(), entryId != null,
                    balance(stores, orgId), entryId);
        });
    }

    private static Credits balance(Stores stores, OrgId orgId) {
        return stores.ledger().findAccount(orgId).map(Account::balance)
                .orElseThrow(() -> BillingException.notFound("organization"));
    }
}
