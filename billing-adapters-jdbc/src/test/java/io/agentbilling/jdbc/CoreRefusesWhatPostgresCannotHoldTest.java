package io.agentbilling.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.GetCreditHistory;
import io.agentbilling.core.usecase.GrantCredit;
import io.agentbilling.core.usecase.HeartbeatSandboxRuntime;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettleStorageUsage;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An embedder calls the use cases directly, without the HTTP layer's checks: every value PostgreSQL cannot hold (NUL
 * characters, lone surrogates, year 0000, instants past year 9999) is refused by the core with an error naming the
 * field, and never reaches the database (whose refusal would be an internal error).
 */
class CoreRefusesWhatPostgresCannotHoldTest {
    private static final Instant YEAR_0000 = Instant.parse("0000-06-01T00:00:00Z");
    private static final String NUL = "a\u0000b";
    private static final String LONE_SURROGATE = "a\ud800b";

    private static PostgresBilling engine;
    private static Billing billing;
    private static OrgId org;
    private static Member member;

    @BeforeAll
    static void start() {
        DatabaseConfig db = TestDatabases.freshDatabase("storable");
        engine = PostgresBilling.configure().url(db.jdbcUrl(), db.user(), db.password()).withoutBackgroundJobs().start();
        billing = engine.billing();
        org = billing.createOrg().execute(CreateOrg.Command.builder().name("Acme").plan("free").build()).org().id();
        member = billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER)).member();
        billing.startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sb-1").orgId(org).memberId(member.id()).size("small").idempotencyKey("start-1").build());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void text_postgresql_cannot_keep_is_a_bad_request_naming_the_field() {
        assertRefused(() -> billing.createOrg().execute(CreateOrg.Command.builder().name(NUL).plan("free").build()),
                BillingError.BAD_REQUEST, "name");
        assertRefused(() -> billing.addMember().execute(new AddMember.Command(org, "a\u0000@b.example", Role.MEMBER)).member(),
                BillingError.BAD_REQUEST, "email");
        assertRefused(() -> billing.createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member.id()).name(LONE_SURROGATE).build()), BillingError.BAD_REQUEST, "name");
        assertRefused(() -> billing.grantCredit().execute(GrantCredit.Command.builder()
                .orgId(org).amountCents(1).description(NUL).idempotencyKey("g-1")
                .build()), BillingError.BAD_REQUEST, "description");
        assertRefused(() -> billing.settleDeduction().execute(SettleDeduction.Command.builder()
                .orgId(org).amountMicros(1).resource("voice").description(NUL).idempotencyKey("d-1")
                .build()), BillingError.BAD_REQUEST, "description");
        assertRefused(() -> billing.settleDeduction().execute(SettleDeduction.Command.builder()
                .orgId(org).amountMicros(1).resource("voice").idempotencyKey(LONE_SURROGATE)
                .build()), BillingError.BAD_REQUEST, "idempotencyKey");
        assertRefused(() -> billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(member.id()).model("gpt\u0000").inputTokens(1).outputTokens(1)
                .idempotencyKey("m-1").build()), BillingError.BAD_REQUEST, "model");
    }

    @Test
    void instants_outside_the_years_postgresql_keeps_are_refused_naming_the_field() {
        assertRefused(() -> billing.createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member.id()).name("k").expiresAt(Instant.MAX)
                .build()), BillingError.BAD_REQUEST, "expiresAt");
        assertRefused(() -> billing.grantCredit().execute(GrantCredit.Command.builder()
                .orgId(org).amountCents(1).expiresAt(Instant.parse("+10000-01-01T00:00:00Z")).idempotencyKey("g-2")
                .build()), BillingError.BAD_REQUEST, "expiresAt");
        assertRefused(() -> billing.heartbeatSandboxRuntime().execute(new HeartbeatSandboxRuntime.Command("sb-1",
                YEAR_0000)), BillingError.BAD_REQUEST, "at");
        assertRefused(() -> billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(member.id()).model("gpt-5").inputTokens(1).outputTokens(1).occurredAt(YEAR_0000)
                .idempotencyKey("m-2").build()), BillingError.UNPROCESSABLE, "occurredAt");
        assertRefused(() -> billing.settleStorageUsage().execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(1).from(YEAR_0000).to(Instant.now()).idempotencyKey("s-1")
                .build()), BillingError.UNPROCESSABLE, "from");
        assertRefused(() -> billing.startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sb-2").orgId(org).memberId(member.id()).size("small").startedAt(YEAR_0000)
                .idempotencyKey("start-2").build()), BillingError.UNPROCESSABLE, "startedAt");

        // Bounds of a search mean "no bound there": the history is read, not refused by the database.
        GetCreditHistory.Page page = billing.getCreditHistory().forOrg(org,
                GetCreditHistory.Query.builder().limit(500).from(Instant.MIN).to(Instant.MAX).build());
        assertThat(page.entries()).isNotEmpty();
        GetCreditHistory.Page none = billing.getCreditHistory().forOrg(org,
                GetCreditHistory.Query.builder().limit(500).from(Instant.MIN).to(YEAR_0000).build());
        assertThat(none.entries()).isEmpty();
    }

    private static void assertRefused(ThrowingCallable call, BillingError error, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class, e -> {
            assertThat(e.error()).as(e.getMessage()).isEqualTo(error);
            assertThat(e.details()).extracting(FieldIssue::field).contains(field);
        });
    }
}
