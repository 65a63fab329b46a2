package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.payment.RedirectAllowList;
import io.agentbilling.core.payment.TopupPolicy;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.PaymentGateway;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts a card top-up (API.md A5): opens a provider checkout session for exactly the amount, tied to the org, and
 * records it. Nothing is credited here; the success page or the webhook does that once the session is paid.
 *
 * <p>The provider is never called inside a transaction: the org's provider customer is created (once per org; a
 * concurrent creator's customer wins, by insert-if-absent) and the session opened between short units of work.
 * With an idempotency key, a retried request gets the same session back and another payload under the same key is
 * an {@code IDEMPOTENCY_CONFLICT}. Thread-safe.
 */
public final class StartTopup {
    private final Transactions transactions;
    private final PaymentGateway gateway;
    private final Clock clock;
    private final IdGenerator ids;
    private final TopupPolicy policy;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param gateway the payment provider
     * @param clock the clock that tells the time
     * @param ids the source of ids and secrets
     * @param policy the rules that apply
     */
    public StartTopup(Transactions transactions, PaymentGateway gateway, Clock clock, IdGenerator ids,
                      TopupPolicy policy) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** A top-up to start, on behalf of an authenticated member. Checked when built (the amount when executed). */
    public static final class Command {
        private final Caller caller;
        private final OrgId orgId;
        private final long amountCents;
        private final String successUrl;
        private final String cancelUrl;
        private final String idempotencyKey;

        private Command(Builder b) {
            this.caller = b.caller;
            this.orgId = b.orgId;
            this.amountCents = b.amountCents;
            this.successUrl = b.successUrl;
            this.cancelUrl = b.cancelUrl;
            this.idempotencyKey = b.idempotencyKey;
            Objects.requireNonNull(caller, "caller");
            Commands.optionalIdempotencyKey(idempotencyKey);
        }

        /**
         * A builder with every field unset (null, 0 or false); set fields by name, then build().
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The member asking; an admin of the org; required.
         *
         * @return the caller
         */
        public Caller caller() {
            return caller;
        }

        /**
         * The org to top up; null = the caller's.
         *
         * @return the orgId
         */
        public OrgId orgId() {
            return orgId;
        }

        /**
         * The amount in cents, within the top-up policy's bounds.
         *
         * @return the amountCents
         */
        public long amountCents() {
            return amountCents;
        }

        /**
         * Where the checkout returns after paying; null = the configured default.
         *
         * @return the successUrl
         */
        public String successUrl() {
            return successUrl;
        }

        /**
         * Where the checkout returns when abandoned; null = the configured default.
         *
         * @return the cancelUrl
         */
        public String cancelUrl() {
            return cancelUrl;
        }

        /**
         * The caller's key (the {@code Idempotency-Key} header); optional.
         *
         * @return the idempotencyKey
         */
        public String idempotencyKey() {
            return idempotencyKey;
        }

        @Override
        public String toString() {
            return "StartTopup.Command[" + "caller=" + caller + ", orgId=" + orgId
                    + ", amountCents=" + amountCents + ", successUrl=" + successUrl + ", cancelUrl=" + cancelUrl
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private Caller caller;
            private OrgId orgId;
            private long amountCents;
            private String successUrl;
            private String cancelUrl;
            private String idempotencyKey;

            private Builder() {
            }

            /**
             * Sets the member asking; an admin of the org; required.
             *
             * @param caller the value
             * @return this builder
             */
            public Builder caller(Caller caller) {
                this.caller = caller;
                return this;
            }

            /**
             * Sets the org to top up; null = the caller's.
             *
             * @param orgId the value
             * @return this builder
             */
            public Builder orgId(OrgId orgId) {
                this.orgId = orgId;
                return this;
            }

            /**
             * Sets the amount in cents, within the top-up policy's bounds.
             *
             * @param amountCents the value
             * @return this builder
             */
            public Builder amountCents(long amountCents) {
                this.amountCents = amountCents;
                return this;
            }

            /**
             * Sets where the checkout returns after paying; null = the configured default.
             *
             * @param successUrl the value
             * @return this builder
             */
            public Builder successUrl(String successUrl) {
                this.successUrl = successUrl;
                return this;
            }

            /**
             * Sets where the checkout returns when abandoned; null = the configured default.
             *
             * @param cancelUrl the value
             * @return this builder
             */
            public Builder cancelUrl(String cancelUrl) {
                this.cancelUrl = cancelUrl;
                return this;
            }

            /**
             * Sets the caller's key (the {@code Idempotency-Key} header); optional.
             *
             * @param idempotencyKey the value
             * @return this builder
             */
            public Builder idempotencyKey(String idempotencyKey) {
                this.idempotencyKey = idempotencyKey;
                return this;
            }

            /**
             * The command.
             *
             * @return a command with the fields set so far
             * @throws BillingException {@code BAD_REQUEST} naming {@code idempotencyKey} when it breaks the key rules
             */
            public Command build() {
                return new Command(this);
            }
        }
    }

    /** @param replayed true when an earlier request with the same idempotency key opened this session */
    public record Result(String sessionId, String checkoutUrl, long amountCents, boolean replayed) {}

    /**
     * Opens the checkout session (or returns the one the same key opened).
     *
     * @param command the top-up
     * @return the session and where to send the payer; {@code replayed} for a replay
     * @throws BillingException {@code FORBIDDEN} for a member who is not an admin, or another org than the caller's;
     *                          {@code BAD_REQUEST} for an amount outside the policy's range or a return URL off the
     *                          allowed origins; {@code NOT_FOUND} when the org does not exist; {@code
     *                          IDEMPOTENCY_CONFLICT} for a key used with another top-up; {@code
     *                          PAYMENT_PROVIDER_ERROR} when the provider fails
     */
    public Result execute(Command command) {
        command.caller().requireAdmin();
        OrgId orgId = command.caller().resolveOrg(command.orgId());
        validateAmount(command.amountCents());
        // Normalised before anything else: the URLs as checkout will use them, and a URL spelled out equal to the
        // default counts as the default, so a retry that names it is the same request as one that leaves it out.
        String givenSuccessUrl = command.successUrl() == null ? null
                : withoutDefault(policy.redirects().checkSuccessUrl("successUrl", command.successUrl()),
                        policy.defaultSuccessUrl());
        String givenCancelUrl = command.cancelUrl() == null ? null
                : withoutDefault(policy.redirects().check("cancelUrl", command.cancelUrl()), policy.defaultCancelUrl());
        String successUrl = RedirectAllowList.withSessionIdParameter(
                givenSuccessUrl == null ? policy.defaultSuccessUrl() : givenSuccessUrl);
        String cancelUrl = givenCancelUrl == null ? policy.defaultCancelUrl() : givenCancelUrl;
        String fingerprint = Fingerprint.of("topup", orgId, command.amountCents(), givenSuccessUrl, givenCancelUrl);

        Prepared prepared = transactions.read(stores -> new Prepared(
                stores.directory().findOrg(orgId),
                command.idempotencyKey() == null ? Optional.empty()
                        : stores.payments().findCheckoutByKey(orgId, command.idempotencyKey()),
                stores.payments().profile(orgId)));
        if (prepared.earlier().isPresent()) {
            return replayOrConflict(prepared.earlier().get(), fingerprint);
        }
        Org org = prepared.org().orElseThrow(() -> BillingException.notFound("organization"));
        String customerId = prepared.profile().map(PaymentProfile::customerId)
                .orElseGet(() -> createCustomer(org));

        CheckoutSession session = gateway.createCheckoutSession(new CheckoutRequest(orgId,
                Credits.ofCents(command.amountCents()), customerId, successUrl, cancelUrl,
                providerKey(orgId, command.idempotencyKey(), fingerprint)));
        CheckoutRecord opened = CheckoutRecord.opened(session.id(), orgId, command.amountCents(),
                session.checkoutUrl(), command.idempotencyKey(), fingerprint, clock.instant());
        CheckoutRecord stored = transactions.inTransaction(stores -> stores.payments().insertCheckoutIfAbsent(opened));
        if (!stored.sessionId().equals(session.id())) {
            // A concurrent retry with the same key recorded its session first; that one is the answer.
            return replayOrConflict(stored, fingerprint);
        }
        return new Result(session.id(), session.checkoutUrl(), command.amountCents(), false);
    }

    private static String withoutDefault(String url, String defaultUrl) {
        return url.equals(defaultUrl) ? null : url;
    }

    private record Prepared(Optional<Org> org, Optional<CheckoutRecord> earlier, Optional<PaymentProfile> profile) {}

    private void validateAmount(long amountCents) {
        List<FieldIssue> issues = new ArrayList<>();
        if (amountCents < TopupPolicy.MIN_AMOUNT_CENTS) {
            issues.add(new FieldIssue("amountCents", "must be >= " + TopupPolicy.MIN_AMOUNT_CENTS));
        } else if (amountCents > policy.maxAmountCents()) {
            issues.add(new FieldIssue("amountCents", "must be <= " + policy.maxAmountCents()));
        }
        if (!issues.isEmpty()) {
            throw BillingException.invalid("amountCents is out of range", issues);
        }
    }

    /** Outside any transaction; the provider key derives from the org, so a lost response is retried safely. */
    private String createCustomer(Org org) {
        String created = gateway.createCustomer(org.id(), org.name(), "customer-" + org.id());
        return transactions.inTransaction(stores ->
                stores.payments().saveCustomerIfAbsent(org.id(), created, clock.instant())).customerId();
    }

    /**
     * The provider's idempotency key. With a client key it derives from the key and the payload, so a retry reuses
     * the provider's session and a different payload never reuses the key with other parameters (which the provider
     * would refuse); without one every request opens its own session.
     */
    private String providerKey(OrgId orgId, String clientKey, String fingerprint) {
        if (clientKey == null) {
            return "checkout-" + ids.newId();
        }
        return "checkout-" + orgId + "-" + Fingerprint.of(clientKey, fingerprint);
    }

    private static Result replayOrConflict(CheckoutRecord earlier, String fingerprint) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw BillingException.of(BillingError.IDEMPOTENCY_CONFLICT,
                    "idempotency key was already used with a different payload");
        }
        return new Result(earlier.sessionId(), earlier.checkoutUrl(), earlier.amountCents(), true);
    }
}
