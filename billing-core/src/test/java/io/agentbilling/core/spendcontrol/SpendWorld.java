package io.agentbilling.core.spendcontrol;

import io.agentbilling.core.Billing;
import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.WebhookSender;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.AdjustCredit;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.PlaceHold;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.core.webhooks.RetrySchedule;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An engine on the in-memory kit with one org, an admin, two members and a key of the first member, and a webhook
 * sender that records what it is asked to send and answers what a test scripts. For the spend-control tests.
 */
public final class SpendWorld {
    public final MutableClock clock = MutableClock.at("2026-11-10T09:00:00Z");
    public final InMemoryTransactions transactions = new InMemoryTransactions();
    public final RecordingSender sender = new RecordingSender();
    public final io.agentbilling.testkit.FakePaymentGateway gateway = new io.agentbilling.testkit.FakePaymentGateway();
    public final Billing billing;
    public final OrgId org;
    public final Member admin;
    public final Member dev;
    public final Member other;
    public final ApiKey devKey;
    private final AtomicInteger keys = new AtomicInteger();

    public SpendWorld(long balanceCents) {
        this(balanceCents, RetrySchedule.DEFAULT);
    }

    public SpendWorld(long balanceCents, RetrySchedule retries) {
        billing = Billing.builder(transactions, clock).webhookSender(sender).webhookRetries(retries)
                .paymentGateway(gateway).build();
        org = billing.createOrg().execute(CreateOrg.Command.builder().name("Acme").plan("pro")
                .signupGrantCents(0).idempotencyKey("acme").build()).org().id();
        if (balanceCents != 0) {
            billing.adjustCredit().execute(AdjustCredit.Command.builder().orgId(org).amountCents(balanceCents)
                    .reason("opening balance").idempotencyKey("opening").build());
        }
        admin = billing.addMember().execute(new AddMember.Command(org, "admin@acme.test", Role.ADMIN, null)).member();
        dev = billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER, null)).member();
        other = billing.addMember().execute(new AddMember.Command(org, "ops@acme.test", Role.MEMBER, null)).member();
        devKey = billing.createApiKey().execute(CreateApiKey.Command.builder().orgId(org).memberId(dev.id())
                .name("agent").build()).key();
    }

    public Caller adminCaller() {
        return Caller.of(admin);
    }

    public PlaceHold.Result hold(long cents, MemberId member, ApiKeyId key, long ttlSeconds) {
        return billing.spendControls().placeHold().execute(PlaceHold.Command.builder().orgId(org).memberId(member)
                .apiKeyId(key).amountCents(cents).ttlSeconds(ttlSeconds).idempotencyKey("hold-" + keys.incrementAndGet())
                .build());
    }

    public SettlementResult deduct(long cents, MemberId member, HoldId hold, ApiKeyId key) {
        return billing.settleDeduction().execute(SettleDeduction.Command.builder().orgId(org).memberId(member)
                .amountCents(cents).resource("agent_run").holdId(hold).apiKeyId(key)
                .idempotencyKey("deduct-" + keys.incrementAndGet()).build());
    }

    public SettlementResult byokCall(MemberId member, ApiKeyId key, long inputTokens) {
        return billing.settleModelUsage().execute(SettleModelUsage.Command.builder().orgId(org).memberId(member)
                .model("gpt-5").inputTokens(inputTokens).outputTokens(0).byok(true).apiKeyId(key)
                .idempotencyKey("byok-" + keys.incrementAndGet()).build());
    }

    public Credits balance() {
        return billing.getCredits().forOrg(org).balance();
    }

    public void advance(Duration by) {
        clock.advance(by);
    }

    /** What a test makes the receiver answer, and everything it was asked to send. */
    public static final class RecordingSender implements WebhookSender {
        public final List<Request> sent = Collections.synchronizedList(new ArrayList<>());
        private volatile Function<Request, Outcome> answer = r -> Outcome.answered(200, 1);
        private volatile String refusedHost;

        public void answer(Function<Request, Outcome> script) {
            this.answer = script;
        }

        public void refuseHost(String host) {
            this.refusedHost = host;
        }

        @Override
        public Outcome send(Request request) {
            sent.add(request);
            return answer.apply(request);
        }

        @Override
        public Optional<String> refusal(URI url) {
            return url.getHost().equals(refusedHost) ? Optional.of("resolves to a private address")
                    : Optional.empty();
        }
    }

}
