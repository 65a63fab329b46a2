package io.agentbilling.client.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.client.BillingServiceClient;
import io.agentbilling.client.service.Adjustment;
import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.CreatedApiKey;
import io.agentbilling.client.service.CreditCheck;
import io.agentbilling.client.service.CreditCheckRequest;
import io.agentbilling.client.service.LimitKind;
import io.agentbilling.client.service.NewApiKey;
import io.agentbilling.client.service.Role;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.faults.LedgerAudit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's client examples are these files, exactly (from their imports on), and they work: each is run here
 * against the real server on PostgreSQL.
 */
class ReadmeExamplesTest {
    private static final Path SOURCES = Path.of("src/test/java/io/agentbilling/client/examples");
    private static final Path README = Path.of("../README.md");

    private static TestApplication app;
    private static URI base;

    @BeforeAll
    static void start() {
        app = new TestApplication();
        base = URI.create("http://127.0.0.1:" + app.app.port());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"UsageBilling.java", "AgentRuns.java", "HeldRuns.java", "BillingPage.java"})
    void the_readme_shows_the_example_exactly_as_it_compiles(String file) throws IOException {
        String source = Files.readString(SOURCES.resolve(file), StandardCharsets.UTF_8);
        String fromImports = source.substring(source.indexOf("import "));
        assertThat(Files.readString(README, StandardCharsets.UTF_8)).contains("```java\n" + fromImports + "```\n");
        // It compiles here next to the server's classes; a user has only the client jar, Jackson and the JDK.
        assertThat(source.lines().filter(line -> line.startsWith("import ")))
                .allSatisfy(line -> assertThat(line).matches("import (io\\.agentbilling\\.client|java)\\..*;"));
    }

    @Test
    void usage_billing_reports_a_call_that_is_settled_once(@TempDir Path spool) {
        BillingServiceClient service = BillingServiceClient.create(base, TestApplication.INTERNAL_SECRET);
        AgentRuns runs = new AgentRuns(base, TestApplication.INTERNAL_SECRET);
        CreatedApiKey key = runs.onboard("Acme", "owner@acme.example");
        UUID member = service.addMember(key.orgId(), null, Role.MEMBER).id();

        try (UsageBilling billing = new UsageBilling(base, TestApplication.INTERNAL_SECRET, spool)) {
            billing.modelCallFinished(key.orgId(), member, "gpt-5", 1_200, 300, "call-81");
            billing.modelCallFinished(key.orgId(), member, "gpt-5", 1_200, 300, "call-81");
        }

        assertThat(new LedgerAudit(app.database).entriesPerKey(key.orgId())).containsEntry("call-81", 1);
    }

    @Test
    void agent_runs_onboard_gate_and_settle() {
        AgentRuns runs = new AgentRuns(base, TestApplication.INTERNAL_SECRET);
        CreatedApiKey key = runs.onboard("Globex", "owner@globex.example");
        assertThat(key.key()).startsWith("rt_live_");
        assertThat(runs.onboard("Globex", "owner@globex.example").orgId()).as("the same org on a retried signup")
                .isEqualTo(key.orgId());
        UUID member = key.memberId();

        long micros = runs.runStep(key.orgId(), member, "step-1");
        assertThat(micros).isEqualTo(1_200L * 125 + 300L * 1_000);
        assertThat(runs.runStep(key.orgId(), member, "step-1")).as("a replayed step costs the same, once")
                .isEqualTo(micros);
        assertThat(new LedgerAudit(app.database).entriesPerKey(key.orgId())).containsEntry("step-1", 1);

        UUID broke = new AgentRuns(base, TestApplication.INTERNAL_SECRET).onboard("Initech", "owner@initech.example")
                .orgId();
        BillingServiceClient.create(base, TestApplication.INTERNAL_SECRET).adjustCredit(broke,
                Adjustment.of(-1_000, "use it all"));
        assertThatThrownBy(() -> runs.runStep(broke, member, "step-2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void held_runs_are_admitted_by_a_hold_charged_their_actual_cost_and_refused_past_the_key_cap() {
        BillingServiceClient service = BillingServiceClient.create(base, TestApplication.INTERNAL_SECRET);
        UUID org = service.createOrg(CreateOrg.of("Umbrella").withPlan("pro").withSignupGrantCents(1_000)).id();
        UUID member = service.addMember(org, null, Role.MEMBER).id();
        UUID key = service.createApiKey(org, NewApiKey.of(member, "agent").withCaps(100L, null)).id();
        HeldRuns runs = new HeldRuns(base, TestApplication.INTERNAL_SECRET);

        assertThat(runs.run(org, member, key, "run-1")).isNull();
        assertThat(runs.run(org, member, key, "run-1")).as("a retried run").isNull();
        CreditCheck afterOne = service.creditCheck(CreditCheckRequest.of(org).throughKey(key));
        assertThat(afterOne.balanceCents()).as("120k input and 30k output tokens of gpt-5: 45 cents, once")
                .isEqualTo(1_000 - 45);
        assertThat(afterOne.heldCents()).as("the 5 cents the run did not use are released").isZero();
        assertThat(afterOne.limit(LimitKind.KEY_MONTHLY).spentCents()).isEqualTo(45);
        assertThat(new LedgerAudit(app.database).entriesPerKey(org)).containsEntry("run-1", 1);

        assertThat(runs.run(org, member, key, "run-2")).as("45 spent + 50 held fit the 100 cap").isNull();
        assertThat(runs.run(org, member, key, "run-3")).isEqualTo(LimitKind.KEY_MONTHLY);
        CreditCheck afterThree = service.creditCheck(CreditCheckRequest.of(org).throughKey(key));
        assertThat(afterThree.balanceCents()).isEqualTo(1_000 - 90);
        assertThat(afterThree.heldCents()).as("the refused run reserved nothing").isZero();
    }

    @Test
    void the_billing_page_shows_plan_usage_history_and_a_top_up_for_admins_only() {
        TestOrg org = app.newOrg("free");
        String forMember = page(org.memberKey());
        assertThat(forMember).contains("Free plan, balance 500 cents", "last 30 days: 0 tokens, 0 cents",
                "signup_grant +500 cents", "ask an admin to add credit");
        String forAdmin = page(org.adminKey());
        assertThat(forAdmin).contains("add $25 at http://localhost:8080/checkout/cs_local_");
    }

    private static String page(String apiKey) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BillingPage.print(base, apiKey, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
