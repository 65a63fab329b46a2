package io.agentbilling.http.support;

import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The real server, as {@code main} builds it from a {@link ServerEnvironment}, on a free port and a fresh PostgreSQL
 * database, with the tests' {@link TestClient} and shorthands to create orgs, members and keys. Every answer it gets
 * is checked against the server's own {@code /openapi.json} when it closes.
 */
public final class TestApplication implements ServerCalls, AutoCloseable {
    public static final String INTERNAL_SECRET = ServerEnvironment.INTERNAL_SECRET;

    public final BillingApplication app;
    public final DatabaseConfig database;
    private final TestClient client;
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();

    public TestApplication() {
        this(Map.of());
    }

    /** With extra (or overriding) environment variables, e.g. Stripe settings. */
    public TestApplication(Map<String, String> extraEnvironment) {
        database = TestDatabases.freshDatabase("e2e");
        app = ServerEnvironment.forDatabase(database).with(extraEnvironment).start();
        client = TestClient.builder().base("http://127.0.0.1:" + app.port()).internalSecret(INTERNAL_SECRET)
                .onAnswer(answers::add).build();
    }

    /** The client bound to this server (answers it gets are checked against the OpenAPI document too). */
    @Override
    public TestClient client() {
        return client;
    }

    /** An org with an admin and a member, each with an API key. */
    public record TestOrg(OrgId orgId, Member admin, String adminKey, Member member, String memberKey) {}

    public TestOrg newOrg(String plan) {
        CreateOrg.Result org = app.billing().createOrg().execute(CreateOrg.Command.builder()
                .name("Test org").plan(plan).build());
        Member admin = app.billing().addMember().execute(
                new AddMember.Command(org.org().id(), "admin@example.com", Role.ADMIN)).member();
        Member member = app.billing().addMember().execute(
                new AddMember.Command(org.org().id(), "dev@example.com", Role.MEMBER)).member();
        String adminKey = app.billing().createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(org.org().id()).memberId(admin.id()).name("admin key").build()).plainKey();
        String memberKey = app.billing().createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(org.org().id()).memberId(member.id()).name("member key").build()).plainKey();
        return new TestOrg(org.org().id(), admin, adminKey, member, memberKey);
    }

    /**
     * Moves an org's creation back by {@code by}, as if it had been created then: usage may not say it happened
     * before its org existed, so a test that reports usage in the past needs an org that is older.
     */
    public void backdate(OrgId orgId, Duration by) {
        backdate(database, orgId.value(), by);
    }

    /** When the org was created, as the database keeps it. */
    public Instant createdAt(OrgId orgId) {
        try (Connection connection = connect(database);
             PreparedStatement select = connection.prepareStatement("SELECT created_at FROM orgs WHERE org_id = ?")) {
            select.setObject(1, orgId.value());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no org " + orgId);
                }
                return row.getObject(1, OffsetDateTime.class).toInstant();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #backdate(OrgId, Duration)} on any test database (a server started otherwise). */
    public static void backdate(DatabaseConfig database, UUID orgId, Duration by) {
        try (Connection connection = connect(database);
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE orgs SET created_at = created_at - make_interval(secs => ?) WHERE org_id = ?")) {
            update.setLong(1, by.toSeconds());
            update.setObject(2, orgId);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no org " + orgId);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect(DatabaseConfig database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }

    /**
     * Every answer this client received, checked against the server's own /openapi.json: a described route and
     * status, and a body matching the described schema. Fails (after shutting down) when any does not conform.
     */
    private void checkAnswersAgainstOpenApi() {
        Answer document = TestClient.builder().base(client.base()).build().get("/openapi.json");
        if (document.status() != 200) {
            throw new AssertionError("no OpenAPI document: " + document);
        }
        OpenApiConformance conformance = new OpenApiConformance(document.body());
        List<String> problems = new ArrayList<>();
        for (Answer answer : answers) {
            if (answer.answered()) {
                problems.addAll(conformance.check(new OpenApiConformance.Exchange(answer.method(), answer.target(),
                        answer.status(), answer.header("Content-Type"), answer.body())));
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("responses that do not match /openapi.json:\n  "
                    + String.join("\n  ", problems.stream().distinct().limit(50).toList()));
        }
    }

    @Override
    public void close() {
        try {
            checkAnswersAgainstOpenApi();
        } finally {
            app.close();
            TestDatabases.dropDatabase(database);
        }
    }
}
