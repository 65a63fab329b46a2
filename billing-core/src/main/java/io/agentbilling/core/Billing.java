package io.agentbilling.core;

import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.port.NoPaymentGateway;
import io.agentbilling.core.payment.RedirectAllowList;
import io.agentbilling.core.payment.TopupPolicy;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.PaymentGateway;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.SecureIdGenerator;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.core.settlement.SettlementMetrics;
import io.agentbilling.core.settlement.internal.AutoTopupTrigger;
import io.agentbilling.core.settlement.internal.DirectSettler;
import io.agentbilling.core.settlement.internal.GroupCommitSettler;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.settlement.internal.Settler;
import io.agentbilling.core.port.VersionedPriceBook;
import io.agentbilling.core.access.SignInSessions;
import io.agentbilling.core.usage.SandboxMeterPolicy;
import io.agentbilling.core.usage.UsageWindow;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.AdjustCredit;
import io.agentbilling.core.usecase.AuthenticateApiKey;
import io.agentbilling.core.usecase.AuthenticateSession;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.core.usecase.CheckStorageQuota;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.ExpireGrants;
import io.agentbilling.core.usecase.GetAutoTopup;
import io.agentbilling.core.usecase.GetCreditHistory;
import io.agentbilling.core.usecase.GetCredits;
import io.agentbilling.core.usecase.GetPlanSummary;
import io.agentbilling.core.usecase.GetPricing;
import io.agentbilling.core.usecase.GetUsageReport;
import io.agentbilling.core.usecase.GrantCredit;
import io.agentbilling.core.usecase.HandlePaymentEvent;
import io.agentbilling.core.usecase.HeartbeatSandboxRuntime;
import io.agentbilling.core.usecase.QuoteSandboxRuntime;
import io.agentbilling.core.usecase.RevokeApiKey;
import io.agentbilling.core.usecase.RunAutoTopups;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettleResourceCharge;
import io.agentbilling.core.usecase.SettleSandboxRuntime;
import io.agentbilling.core.usecase.SettleSilentSandboxes;
import io.agentbilling.core.usecase.SettleStorageUsage;
import io.agentbilling.core.usecase.SettleToolExecution;
import io.agentbilling.core.usecase.SettleUsageBatch;
import io.agentbilling.core.usecase.SignIn;
import io.agentbilling.core.usecase.SignOut;
import io.agentbilling.core.usecase.SettlementPricer;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import io.agentbilling.core.usecase.StartTopup;
import io.agentbilling.core.usecase.UpdateAutoTopup;
import io.agentbilling.core.usecase.VerifyCheckout;
import io.agentbilling.core.usecase.VerifyLedger;
import io.agentbilling.core.port.SecretSealer;
import io.agentbilling.core.port.WebhookSender;
import io.agentbilling.core.spendcontrol.EventOutbox;
import io.agentbilling.core.spendcontrol.SpendRecorder;
import io.agentbilling.core.usecase.CreateWebhookEndpoint;
import io.agentbilling.core.usecase.DeliverWebhooks;
import io.agentbilling.core.usecase.ExpireHolds;
import io.agentbilling.core.usecase.GetApiKeyCaps;
import io.agentbilling.core.usecase.GetBudgets;
import io.agentbilling.core.usecase.GetSpendSettings;
import io.agentbilling.core.usecase.ManageWebhookEndpoints;
import io.agentbilling.core.usecase.PlaceHold;
import io.agentbilling.core.usecase.ReleaseHold;
import io.agentbilling.core.usecase.SetApiKeyCap;
import io.agentbilling.core.usecase.SetMemberBudget;
import io.agentbilling.core.usecase.UpdateSpendSettings;
import io.agentbilling.core.webhooks.RetrySchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Whole engine, wired: every use case built once from the ports you give it. This is the one place that knows how
 * the use cases fit together, shared by the standalone server and by JVM services that embed the engine (with the
 * PostgreSQL adapter, or with the in-memory test kit in unit tests). No framework: a builder and getters.
 *
 * <pre>{@code
 * Billing billing = Billing.builder(transactions, clock).paymentGateway(gateway).build();
 * billing.settleModelUsage().execute(new SettleModelUsage.Command(...));
 * }</pre>
 *
 * Thread-safe once built. {@link #close()} stops the background jobs, drains the group-commit queue and closes the
 * resources handed to {@link Builder#closeWith}, each even when another fails.
 */
public final class Billing implements AutoCloseable {
    /** How long a claimed webhook delivery belongs to the worker that claimed it (far above a send's timeouts). */
    private static final Duration DELIVERY_LEASE = Duration.ofMinutes(2);
    private final PaymentGateway gateway;
    private final GroupCommitSettler groupCommit;
    private final SettlementMetrics settlementMetrics;

    private final CreateOrg createOrg;
    private final AddMember addMember;
    private final CreateApiKey createApiKey;
    private final RevokeApiKey revokeApiKey;
    private final AuthenticateApiKey authenticateApiKey;
    private final SignIn signIn;
    private final AuthenticateSession authenticateSession;
    private final SignOut signOut;
    private final GrantCredit grantCredit;
    private final AdjustCredit adjustCredit;
    private final GetPlanSummary getPlanSummary;
    private final GetCredits getCredits;
    private final GetCreditHistory getCreditHistory;
    private final GetUsageReport getUsageReport;
    private final CheckCredit checkCredit;
    private final GetPricing getPricing;
    private final SettleModelUsage settleModelUsage;
    private final SettleToolExecution settleToolExecution;
    private final SettleStorageUsage settleStorageUsage;
    private final SettleResourceCharge settleResourceCharge;
    private final SettleDeduction settleDeduction;
    private final SettleUsageBatch settleUsageBatch;
    private final QuoteSandboxRuntime quoteSandboxRuntime;
    private final StartSandboxRuntime startSandboxRuntime;
    private final HeartbeatSandboxRuntime heartbeatSandboxRuntime;
    private final SettleSandboxRuntime settleSandboxRuntime;
    private final SettleSilentSandboxes settleSilentSandboxes;
    private final CheckStorageQuota checkStorageQuota;
    private final StartTopup startTopup;
    private final VerifyCheckout verifyCheckout;
    private final HandlePaymentEvent handlePaymentEvent;
    private final GetAutoTopup getAutoTopup;
    private final UpdateAutoTopup updateAutoTopup;
    private final RunAutoTopups runAutoTopups;
    private final ExpireGrants expireGrants;
    private final VerifyLedger verifyLedger;
    private final SpendControls spendControls;
    private final Webhooks webhooks;
    private final java.util.List<AutoCloseable> resources;
    private final BackgroundJobs backgroundJobs;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Billing(Builder b) {
        this.resources = java.util.List.copyOf(b.resources);
        Transactions transactions = b.transactions;
        this.gateway = b.gateway;
        Clock clock = b.clock;
        IdGenerator ids = b.ids;
        PriceBook prices = b.prices == null ? new VersionedPriceBook(java.util.List.of(DefaultCatalog.create()), clock) : b.prices;
        // The background jobs exist only once the engine does; a settlement that starts an auto top-up wakes them.
        java.util.concurrent.atomic.AtomicReference<BackgroundJobs> jobs = new java.util.concurrent.atomic.AtomicReference<>();
        Consumer<AutoTopupAttempt> hostListener = b.onAutoTopupAttempt;
        AutoTopupTrigger trigger = new AutoTopupTrigger(ids, attempt -> {
            hostListener.accept(attempt);
            BackgroundJobs started = jobs.get();
            if (started != null) {
                started.wakeAutoTopups();
            }
        }, b.autoTopupPolicy.maxAmountCents());
        // Spend controls: events go to the outbox in the transaction of their cause; queued deliveries wake the worker.
        Runnable wakeDeliveries = () -> {
            BackgroundJobs started = jobs.get();
            if (started != null) {
                started.wakeWebhookDeliveries();
            }
        };
        EventOutbox outbox = new EventOutbox(ids, b.webhookRetries, wakeDeliveries);
        PostingEngine engine = new PostingEngine(clock, ids, trigger, new SpendRecorder(outbox));
        this.groupCommit = b.groupCommit == null ? null : new GroupCommitSettler(transactions, engine, b.groupCommit);
        DirectSettler direct = groupCommit == null ? new DirectSettler(transactions, engine) : null;
        Settler settler = groupCommit != null ? groupCommit : direct;
        this.settlementMetrics = groupCommit != null ? groupCommit : direct;
        SettlementPricer pricer = new SettlementPricer(prices, clock, b.usageWindow);

        createOrg = new CreateOrg(transactions, engine, prices, ids, clock);
        addMember = new AddMember(transactions, clock, ids);
        createApiKey = new CreateApiKey(transactions, clock, ids);
        authenticateApiKey = new AuthenticateApiKey(transactions, clock);
        revokeApiKey = new RevokeApiKey(transactions, clock, authenticateApiKey);
        signIn = new SignIn(transactions, clock, ids, b.signInSessions);
        authenticateSession = new AuthenticateSession(transactions, clock);
        signOut = new SignOut(transactions, clock);
        grantCredit = new GrantCredit(transactions, engine, clock);
        adjustCredit = new AdjustCredit(transactions, engine);
        getPlanSummary = new GetPlanSummary(transactions, prices, clock);
        getCredits = new GetCredits(transactions, clock);
        getCreditHistory = new GetCreditHistory(transactions);
        getUsageReport = new GetUsageReport(transactions, prices, clock, b.sandboxPolicy);
        checkCredit = new CheckCredit(transactions, clock);
        getPricing = new GetPricing(prices, clock);
        settleModelUsage = new SettleModelUsage(pricer, settler);
        settleToolExecution = new SettleToolExecution(pricer, settler);
        settleStorageUsage = new SettleStorageUsage(pricer, settler);
        settleResourceCharge = new SettleResourceCharge(pricer, settler);
        settleDeduction = new SettleDeduction(pricer, settler, transactions);
        settleUsageBatch = new SettleUsageBatch(pricer, settler);
        quoteSandboxRuntime = new QuoteSandboxRuntime(transactions, prices, clock);
        startSandboxRuntime = new StartSandboxRuntime(transactions, prices, clock, b.usageWindow);
        heartbeatSandboxRuntime = new HeartbeatSandboxRuntime(transactions, clock);
        settleSandboxRuntime = new SettleSandboxRuntime(transactions, engine, prices, clock, b.usageWindow);
        settleSilentSandboxes = new SettleSilentSandboxes(transactions, engine, prices, clock, b.sandboxPolicy);
        checkStorageQuota = new CheckStorageQuota(transactions, prices, clock);
        startTopup = new StartTopup(transactions, gateway, clock, ids, b.topupPolicy);
        verifyCheckout = new VerifyCheckout(transactions, gateway, engine, clock);
        handlePaymentEvent = new HandlePaymentEvent(transactions, engine, clock, b.autoTopupPolicy, outbox);
        getAutoTopup = new GetAutoTopup(transactions);
        updateAutoTopup = new UpdateAutoTopup(transactions, b.autoTopupPolicy);
        runAutoTopups = new RunAutoTopups(transactions, gateway, engine, clock, b.autoTopupPolicy,
                (attempt, error) -> { }, outbox);
        expireGrants = new ExpireGrants(transactions, engine, clock);
        verifyLedger = new VerifyLedger(transactions);
        GetBudgets getBudgets = new GetBudgets(transactions, clock);
        GetApiKeyCaps getApiKeyCaps = new GetApiKeyCaps(transactions, clock);
        spendControls = new SpendControls(new PlaceHold(transactions, ids, clock, outbox),
                new io.agentbilling.core.usecase.GetHold(transactions, clock),
                new ReleaseHold(transactions, clock, outbox), new ExpireHolds(transactions, clock, outbox),
                new SetMemberBudget(transactions, clock, getBudgets), getBudgets,
                new SetApiKeyCap(transactions, clock, getApiKeyCaps), getApiKeyCaps,
                new GetSpendSettings(transactions), new UpdateSpendSettings(transactions, clock));
        webhooks = new Webhooks(new CreateWebhookEndpoint(transactions, ids, clock, b.secretSealer, b.webhookSender),
                new ManageWebhookEndpoints(transactions, clock, outbox, wakeDeliveries),
                new DeliverWebhooks(transactions, b.webhookSender, b.secretSealer, clock, b.webhookRetries,
                        DELIVERY_LEASE));
        backgroundJobs = b.backgroundJobs == null ? null : BackgroundJobs.start(this, b.backgroundJobs);
        jobs.set(backgroundJobs);
    }

    /**
     * A builder of an engine on these stores and this clock. The core never reads the system clock itself: the
     * composition root gives it one ({@code Clock.systemUTC()} in production, a controllable clock in tests).
     *
     * @param transactions the unit of work every use case runs in
     * @param clock        the time of every write and of every rule that depends on now
     * @return a builder at the defaults
     */
    public static Builder builder(Transactions transactions, Clock clock) {
        return new Builder(transactions, clock);
    }

    /**
     * Builder with defaults that make a bare engine work: secure ids, the built-in catalog, no payment gateway, each
     * settlement committed on its own (see {@link #groupCommit}). Not thread-safe.
     */
    public static final class Builder {
        private final Transactions transactions;
        private final Clock clock;
        private IdGenerator ids = new SecureIdGenerator();
        private PriceBook prices;
        private PaymentGateway gateway = new NoPaymentGateway();
        private TopupPolicy topupPolicy = TopupPolicy.of("http://localhost:8080/billing/success",
                "http://localhost:8080/billing/cancel", new RedirectAllowList(Set.of("http://localhost:8080")));
        private AutoTopupPolicy autoTopupPolicy = AutoTopupPolicy.defaults();
        private SandboxMeterPolicy sandboxPolicy = SandboxMeterPolicy.DEFAULT;
        private SignInSessions signInSessions = SignInSessions.defaults();
        private UsageWindow usageWindow = UsageWindow.DEFAULT;
        private GroupCommitLimits groupCommit;
        private Consumer<AutoTopupAttempt> onAutoTopupAttempt = attempt -> { };
        private BackgroundJobs.Settings backgroundJobs;
        private WebhookSender webhookSender = WebhookSender.NONE;
        private SecretSealer secretSealer = SecretSealer.PLAIN;
        private RetrySchedule webhookRetries = RetrySchedule.DEFAULT;
        private final java.util.List<AutoCloseable> resources = new java.util.ArrayList<>();

        private Builder(Transactions transactions, Clock clock) {
            this.transactions = Objects.requireNonNull(transactions, "transactions");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /**
         * @param ids the source of ids and secrets
         */
        public Builder ids(IdGenerator ids) {
            this.ids = Objects.requireNonNull(ids);
            return this;
        }

        /**
         * @param prices the prices in force
         */
        public Builder priceBook(PriceBook prices) {
            this.prices = Objects.requireNonNull(prices);
            return this;
        }

        /**
         * @param gateway the payment provider
         */
        public Builder paymentGateway(PaymentGateway gateway) {
            this.gateway = Objects.requireNonNull(gateway);
            return this;
        }

        /**
         * @param policy the rules that apply
         */
        public Builder topupPolicy(TopupPolicy policy) {
            this.topupPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * @param policy the rules that apply
         */
        public Builder autoTopupPolicy(AutoTopupPolicy policy) {
            this.autoTopupPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * How long a sign-in session lives (default {@link SignInSessions#DEFAULT_LIFETIME}).
         */
        public Builder signInSessions(SignInSessions rules) {
            this.signInSessions = Objects.requireNonNull(rules);
            return this;
        }

        /**
         * @param policy the rules that apply
         */
        public Builder sandboxPolicy(SandboxMeterPolicy policy) {
            this.sandboxPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * When a caller may say its usage happened (oldest age; occurredAt, storage from and sandbox startedAt) and
         * how far past the clock a sandbox settlement may reach; {@link UsageWindow#DEFAULT} unless set.
         */
        public Builder usageWindow(UsageWindow window) {
            this.usageWindow = Objects.requireNonNull(window);
            return this;
        }

        /**
         * Coalesce concurrent settlements (group commit) with these limits ({@link GroupCommitLimits#defaults()}
         * are the server's); without it each call commits alone, in the caller's thread.
         */
        public Builder groupCommit(GroupCommitLimits limits) {
            this.groupCommit = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Called inside the settlement transaction when a debit starts an auto top-up attempt; use it to wake the
         * worker that runs {@link Billing#runAutoTopups()} (never to call the payment provider from here).
         *
         * @return the on auto topup attempt
         */
        public Builder onAutoTopupAttempt(Consumer<AutoTopupAttempt> listener) {
            this.onAutoTopupAttempt = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Runs the engine's periodic jobs (auto top-ups, grant expiry, silent sandboxes; see {@link BackgroundJobs})
         * from {@link #build()} until {@link Billing#close()}. Without it nothing runs them: unit tests call the use
         * cases themselves, and a host that leaves them off must run {@link Billing#runAutoTopups()},
         * {@link Billing#expireGrants()} and {@link Billing#settleSilentSandboxes()} on its own schedule.
         */
        public Builder backgroundJobs(BackgroundJobs.Settings settings) {
            this.backgroundJobs = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * What sends outbound webhooks (signing them and deciding which addresses may be reached); without one the
         * engine still records events and deliveries, and every attempt fails until a sender is configured.
         */
        public Builder webhookSender(WebhookSender sender) {
            this.webhookSender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /** How webhook signing secrets are kept at rest ({@link SecretSealer#PLAIN}, as they are, unless set). */
        public Builder secretSealer(SecretSealer sealer) {
            this.secretSealer = Objects.requireNonNull(sealer, "sealer");
            return this;
        }

        /** When failed webhook deliveries are tried again ({@link RetrySchedule#DEFAULT}: up to 3 days). */
        public Builder webhookRetries(RetrySchedule schedule) {
            this.webhookRetries = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * A resource the engine owns (e.g. a connection pool it was given to create): closed by {@link #close()}.
         *
         * @param resource what was charged
         */
        public Builder closeWith(AutoCloseable resource) {
            this.resources.add(Objects.requireNonNull(resource));
            return this;
        }

        public Billing build() {
            return new Billing(this);
        }
    }

    /**
     * The {@link PaymentGateway} use case.
     */
    public PaymentGateway paymentGateway() { return gateway; }
    /**
     * What the settlement path has done so far (settlements, batches, queue depth), for metrics.
     */
    public SettlementMetrics settlementMetrics() { return settlementMetrics; }

    /**
     * The {@link CreateOrg} use case.
     */
    public CreateOrg createOrg() { return createOrg; }
    /**
     * The {@link AddMember} use case.
     */
    public AddMember addMember() { return addMember; }
    /**
     * The {@link CreateApiKey} use case.
     */
    public CreateApiKey createApiKey() { return createApiKey; }
    /**
     * The {@link RevokeApiKey} use case.
     */
    public RevokeApiKey revokeApiKey() { return revokeApiKey; }
    /**
     * The {@link AuthenticateApiKey} use case.
     */
    public AuthenticateApiKey authenticateApiKey() { return authenticateApiKey; }
    /**
     * The {@link SignIn} use case.
     */
    public SignIn signIn() { return signIn; }
    /**
     * The {@link AuthenticateSession} use case.
     */
    public AuthenticateSession authenticateSession() { return authenticateSession; }
    /**
     * The {@link SignOut} use case.
     */
    public SignOut signOut() { return signOut; }
    /**
     * The {@link GrantCredit} use case.
     */
    public GrantCredit grantCredit() { return grantCredit; }
    /**
     * The {@link AdjustCredit} use case.
     */
    public AdjustCredit adjustCredit() { return adjustCredit; }
    /**
     * The {@link GetPlanSummary} use case.
     */
    public GetPlanSummary getPlanSummary() { return getPlanSummary; }
    /**
     * The {@link GetCredits} use case.
     */
    public GetCredits getCredits() { return getCredits; }
    /**
     * The {@link GetCreditHistory} use case.
     */
    public GetCreditHistory getCreditHistory() { return getCreditHistory; }
    /**
     * The {@link GetUsageReport} use case.
     */
    public GetUsageReport getUsageReport() { return getUsageReport; }
    /**
     * The {@link CheckCredit} use case.
     */
    public CheckCredit checkCredit() { return checkCredit; }
    /**
     * The {@link GetPricing} use case.
     */
    public GetPricing getPricing() { return getPricing; }
    /**
     * The {@link SettleModelUsage} use case.
     */
    public SettleModelUsage settleModelUsage() { return settleModelUsage; }
    /**
     * The {@link SettleToolExecution} use case.
     */
    public SettleToolExecution settleToolExecution() { return settleToolExecution; }
    /**
     * The {@link SettleStorageUsage} use case.
     */
    public SettleStorageUsage settleStorageUsage() { return settleStorageUsage; }
    /**
     * The {@link SettleResourceCharge} use case.
     */
    public SettleResourceCharge settleResourceCharge() { return settleResourceCharge; }
    /**
     * The {@link SettleDeduction} use case.
     */
    public SettleDeduction settleDeduction() { return settleDeduction; }
    /**
     * The {@link SettleUsageBatch} use case.
     */
    public SettleUsageBatch settleUsageBatch() { return settleUsageBatch; }
    /**
     * The {@link QuoteSandboxRuntime} use case.
     */
    public QuoteSandboxRuntime quoteSandboxRuntime() { return quoteSandboxRuntime; }
    /**
     * The {@link StartSandboxRuntime} use case.
     */
    public StartSandboxRuntime startSandboxRuntime() { return startSandboxRuntime; }
    /**
     * The {@link HeartbeatSandboxRuntime} use case.
     */
    public HeartbeatSandboxRuntime heartbeatSandboxRuntime() { return heartbeatSandboxRuntime; }
    /**
     * The {@link SettleSandboxRuntime} use case.
     */
    public SettleSandboxRuntime settleSandboxRuntime() { return settleSandboxRuntime; }
    /**
     * The {@link SettleSilentSandboxes} use case.
     */
    public SettleSilentSandboxes settleSilentSandboxes() { return settleSilentSandboxes; }
    /**
     * The {@link CheckStorageQuota} use case.
     */
    public CheckStorageQuota checkStorageQuota() { return checkStorageQuota; }
    /**
     * The {@link StartTopup} use case.
     */
    public StartTopup startTopup() { return startTopup; }
    /**
     * The {@link VerifyCheckout} use case.
     */
    public VerifyCheckout verifyCheckout() { return verifyCheckout; }
    /**
     * The {@link HandlePaymentEvent} use case.
     */
    public HandlePaymentEvent handlePaymentEvent() { return handlePaymentEvent; }
    /**
     * The {@link GetAutoTopup} use case.
     */
    public GetAutoTopup getAutoTopup() { return getAutoTopup; }
    /**
     * The {@link UpdateAutoTopup} use case.
     */
    public UpdateAutoTopup updateAutoTopup() { return updateAutoTopup; }
    /**
     * The {@link RunAutoTopups} use case.
     */
    public RunAutoTopups runAutoTopups() { return runAutoTopups; }
    /**
     * The {@link ExpireGrants} use case.
     */
    public ExpireGrants expireGrants() { return expireGrants; }
    /**
     * The {@link VerifyLedger} use case.
     */
    public VerifyLedger verifyLedger() { return verifyLedger; }
    /** Holds, member budgets, API-key caps and spend settings. */
    public SpendControls spendControls() { return spendControls; }
    /** Outbound webhooks: endpoints, deliveries and the delivery worker. */
    public Webhooks webhooks() { return webhooks; }

    /**
     * Running background jobs, or null when the engine was built without them.
     */
    public BackgroundJobs backgroundJobs() { return backgroundJobs; }

    /**
     * Stops the background jobs, then the group-commit writers (settlements already queued are written first, for up
     * to 20 s), then closes the {@link Builder#closeWith resources}, last added first. Each step runs even when an
     * earlier one failed; the first failure is thrown at the end with the others suppressed in it. Closing twice does
     * nothing.
     *
     * @throws IllegalStateException if any step failed
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        java.util.List<AutoCloseable> steps = new java.util.ArrayList<>();
        if (backgroundJobs != null) {
            steps.add(backgroundJobs);
        }
        if (groupCommit != null) {
            steps.add(() -> groupCommit.shutdown(Duration.ofSeconds(20)));
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            steps.add(resources.get(i));
        }
        IllegalStateException failure = null;
        for (AutoCloseable step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (failure == null) {
                    failure = new IllegalStateException("closing the billing engine failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
