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
        org = billing.createOrg().execute(new CreateOrg.Command("Acme", "free", null, null)).org().id();
        member = billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER));
        billing.startSandboxRuntime().execute(new StartSandboxRuntime.Command("sb-1", org, member.id(), "small", null,
                "start-1"));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void text_postgresql_cannot_keep_is_a_bad_request_naming_the_field() {
        assertRefused(() -> billing.createOrg().execute(new CreateOrg.Command(NUL, "free", null, null)),
                BillingError.BAD_REQUEST, "name");
        assertRefused(() -> billing.addMember().execute(new AddMember.Command(org, "a\u0000@b.example", Role.MEMBER)),
                BillingError.BAD_REQUEST, "email");
        assertRefused(() -> billing.createApiKey().execute(new CreateApiKey.Command(org, member.id(), LONE_SURROGATE,
                false, null)), BillingError.BAD_REQUEST, "name");
        assertRefused(() -> billing.grantCredit().execute(new GrantCredit.Command(org, Credits.ofCents(1), null, NUL,
                "g-1")), BillingError.BAD_REQUEST, "description");
        assertRefused(() -> billing.settleDeduction().execute(new SettleDeduction.Command(org, null, 1, "voice", NUL,
                null, "d-1")), BillingError.BAD_REQUEST, "description");
        assertRefused(() -> billing.settleDeduction().execute(new SettleDeduction.Command(org, null, 1, "voice", null,
                null, LONE_SURROGATE)), BillingError.BAD_REQUEST, "idempotencyKey");
        assertRefused(() -> billing.settleModelUsage().execute(new SettleModelUsage.Command(org, member.id(),
                "gpt\u0000", 1, 1, 0, false, null, null, "m-1")), BillingError.BAD_REQUEST, "model");
    }

    @Test
    void instants_outside_the_years_postgresql_keeps_are_refused_naming_the_field() {
        assertRefused(() -> billing.createApiKey().execute(new CreateApiKey.Command(org, member.id(), "k", false,
                Instant.MAX)), BillingError.BAD_REQUEST, "expiresAt");
        assertRefused(() -> billing.grantCredit().execute(new GrantCredit.Command(org, Credits.ofCents(1),
                Instant.parse("+10000-01-01T00:00:00Z"), null, "g-2")), BillingError.BAD_REQUEST, "expiresAt");
        assertRefused(() -> billing.heartbeatSandboxRuntime().execute(new HeartbeatSandboxRuntime.Command("sb-1",
                YEAR_0000)), BillingError.BAD_REQUEST, "at");
        assertRefused(() -> billing.settleModelUsage().execute(new SettleModelUsage.Command(org, member.id(), "gpt-5",
                1, 1, 0, false, null, YEAR_0000, "m-2")), BillingError.UNPROCESSABLE, "occurredAt");
        assertRefused(() -> billing.settleStorageUsage().execute(new SettleStorageUsage.Command(org, "ws", null, 1,
                YEAR_0000, Instant.now(), "s-1")), BillingError.UNPROCESSABLE, "from");
        assertRefused(() -> billing.startSandboxRuntime().execute(new StartSandboxRuntime.Command("sb-2", org,
                member.id(), "small", YEAR_0000, "start-2")), BillingError.UNPROCESSABLE, "startedAt");

        // Bounds of a search mean "no bound there": the history is read, not refused by the database.
        GetCreditHistory.Page page = billing.getCreditHistory().execute(new Caller(org, member.id(), Role.ADMIN, null),
                new GetCreditHistory.Query(null, 500, null, null, Instant.MIN, Instant.MAX));
        assertThat(page.entries()).isNotEmpty();
        GetCreditHistory.Page none = billing.getCreditHistory().execute(new Caller(org, member.id(), Role.ADMIN, null),
                new GetCreditHistory.Query(null, 500, null, null, Instant.MIN, YEAR_0000));
        assertThat(none.entries()).isEmpty();
    }

    private static void assertRefused(ThrowingCallable call, BillingError error, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class, e -> {
            assertThat(e.error()).as(e.getMessage()).isEqualTo(error);
            assertThat(e.details()).extracting(FieldIssue::field).contains(field);
        });
    }
}
