package com.example.modular;

import io.agentbilling.client.BillingServiceClient;
import io.agentbilling.client.BillingTransportException;
import io.agentbilling.client.RetryPolicy;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import io.agentbilling.jdbc.PostgresBilling;
import io.agentbilling.stripe.StripeConfig;
import io.agentbilling.stripe.StripePaymentGateway;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.webhooks.HttpWebhookSender;
import io.agentbilling.webhooks.WebhookTargets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Runs the engine's modules on the module path: the core on the test kit's in-memory stores, the engine on an
 * embedded PostgreSQL 17 (Flyway migrations, Jdbi, HikariCP), the Stripe gateway, the HTTP webhook sender (on
 * java.net.http) and the Java client. Exits non-zero,
 * failing the build, when anything does not work as a module.
 */
public final class ModularApp {

    public static void main(String[] args) throws Exception {
        require(inMemory() == 499, "in memory: the free plan's grant minus one call");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), 0)) {
            require(onPostgres(database) == 499, "on PostgreSQL: the free plan's grant minus one call");
        }
        require(new StripePaymentGateway(StripeConfig.of("sk_test_modular", "whsec_modular")).name().equals("stripe"),
                "the Stripe gateway");
        require(new HttpWebhookSender(new WebhookTargets(false, WebhookTargets.SYSTEM), Clock.systemUTC())
                .refusal(URI.create("http://127.0.0.1/hooks")).isPresent(), "the webhook sender refuses loopback");
        require(clientSerializes(), "the client writes its request before it finds nobody listening");
        System.out.println("modular-app: every module works on the module path");
    }

    private static long inMemory() {
        Billing billing = Billing.builder(new InMemoryTransactions(), MutableClock.at("2026-12-01T09:00:00Z")).build();
        return chargeOneCall(billing);
    }

    private static long onPostgres(EmbeddedDatabase database) {
        try (PostgresBilling engine = PostgresBilling.configure()
                .url(database.jdbcUrl(), database.user(), database.password())
                .withoutBackgroundJobs()
                .start()) {
            return chargeOneCall(engine.billing());
        }
    }

    private static long chargeOneCall(Billing billing) {
        OrgId acme = billing.createOrg().execute(CreateOrg.Command.builder()
                .name("Acme").idempotencyKey("create-acme").build()).org().id();
        Member dev = billing.addMember().execute(
                new AddMember.Command(acme, "dev@acme.test", Role.MEMBER, "dev@acme.test")).member();
        billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(acme).memberId(dev.id()).model("gpt-5").inputTokens(1_200).outputTokens(300)
                .idempotencyKey("req-1").build());
        return billing.getCredits().forOrg(acme).balance().toCentsFloor();
    }

    /** Jackson reads the client's request records only if the module opens them to it. */
    private static boolean clientSerializes() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        BillingServiceClient client = BillingServiceClient.builder(URI.create("http://127.0.0.1:" + closed), "secret")
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(1).withMaxElapsed(Duration.ofSeconds(5)))
                .build();
        try {
            client.settleModelUsage(ModelUsage.of(UUID.randomUUID(), UUID.randomUUID(), "gpt-5", 1, 1));
            return false;
        } catch (BillingTransportException expected) {
            return expected.attempts() == 1;
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("failed on the module path: " + what);
        }
    }

    private ModularApp() {
    }
}
