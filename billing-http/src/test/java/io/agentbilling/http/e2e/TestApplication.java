package io.agentbilling.http.e2e;

import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.http.support.OpenApiConformance;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real server, as {@code main} builds it, on a free port and a fresh PostgreSQL database, with a JDK HTTP client
 * and shorthands to create orgs, members and keys. Extra environment variables (e.g. Stripe settings) can be passed.
 */
public final class TestApplication implements AutoCloseable {
    public static final String INTERNAL_SECRET = "test-internal-secret-0123456789abcdef";

    public final BillingApplication app;
    public final DatabaseConfig database;
    private final java.util.Queue<OpenApiConformance.Exchange> exchanges = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public TestApplication() {
        this(Map.of());
    }

    public TestApplication(Map<String, String> extraEnvironment) {
        database = TestDatabases.freshDatabase("e2e");
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("billing-e2e");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> env = new HashMap<>();
        env.put(ServerConfig.PORT, "0");
        env.put(ServerConfig.HOST, "127.0.0.1");
        env.put(ServerConfig.DATABASE_URL, database.jdbcUrl());
        env.put(ServerConfig.DATABASE_USER, database.user());
        env.put(ServerConfig.DATABASE_PASSWORD, database.password());
        env.put(ServerConfig.DATA_DIR, dataDir.toString());
        env.put(ServerConfig.DB_POOL_SIZE, "4");
        env.put(ServerConfig.INTERNAL_SECRET, INTERNAL_SECRET);
        env.put(ServerConfig.PUBLIC_URL, "http://localhost:8080");
        env.put(ServerConfig.ALLOWED_REDIRECT_ORIGINS, "http://localhost:8080,https://app.example.com");
        // The suites send thousands of requests with one key as fast as they can; the limit has tests of its own
        // (RateLimitTest), which set it back on.
        env.put(ServerConfig.RATE_LIMIT_RPS, "0");
        env.putAll(extraEnvironment);
        app = BillingApplication.start(ServerConfig.fromEnvironment(env));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    /** An org with an admin and a member, each with an API key. */
    public record TestOrg(OrgId orgId, Member admin, String adminKey, Member member, String memberKey) {}

    public TestOrg newOrg(String plan) {
        CreateOrg.Result org = app.billing().createOrg().execute(CreateOrg.Command.builder()
                .name("Test org").plan(plan).build());
        Member admin = app.billing().addMember().execute(new AddMember.Command(org.org().id(), "admin@example.com", Role.ADMIN)).member();
        Member member = app.billing().addMember().execute(new AddMember.Command(org.org().id(), "dev@example.com", Role.MEMBER)).member();
        String adminKey = app.billing().createApiKey().execute(
                CreateApiKey.Command.builder()
                        .orgId(org.org().id()).memberId(admin.id()).name("admin key").build()).plainKey();
        String memberKey = app.billing().createApiKey().execute(
                CreateApiKey.Command.builder()
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
    public java.time.Instant createdAt(OrgId orgId) {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             java.sql.PreparedStatement select = connection.prepareStatement(
                     "SELECT created_at FROM orgs WHERE org_id = ?")) {
            select.setObject(1, orgId.value());
            try (java.sql.ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no org " + orgId);
                }
                return row.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #backdate(OrgId, Duration)} on any test database (a server started otherwise). */
    public static void backdate(DatabaseConfig database, java.util.UUID orgId, Duration by) {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             java.sql.PreparedStatement update = connection.prepareStatement(
                     "UPDATE orgs SET created_at = created_at - make_interval(secs => ?) WHERE org_id = ?")) {
            update.setLong(1, by.toSeconds());
            update.setObject(2, orgId);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no org " + orgId);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public Response post(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    public Response put(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    public Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), headers);
    }

    /** Internal endpoints: adds the service credential. */
    public Response internalPost(String path, String json, String... headers) {
        String[] all = concat(headers, "X-Internal-Secret", INTERNAL_SECRET);
        return post(path, json, all);
    }

    public Response internalGet(String path, String... headers) {
        return get(path, concat(headers, "X-Internal-Secret", INTERNAL_SECRET));
    }

    public Response send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            exchanges.add(new OpenApiConformance.Exchange(built.method(), built.uri().getRawPath()
                    + (built.uri().getRawQuery() == null ? "" : "?" + built.uri().getRawQuery()), response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body()));
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] concat(String[] headers, String name, String value) {
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = name;
        all[headers.length + 1] = value;
        return all;
    }

    /** A response: status, raw body, headers. */
    public record Response(int status, String body, Map<String, List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /**
     * Every response this client received, checked against the server's own /openapi.json: a described route and
     * status, and a body matching the described schema. Fails (after shutting down) when any does not conform.
     */
    private void checkResponsesAgainstOpenApi() {
        String document;
        try {
            document = client.send(HttpRequest.newBuilder(uri("/openapi.json")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        OpenApiConformance conformance = new OpenApiConformance(document);
        List<String> problems = new java.util.ArrayList<>();
        for (OpenApiConformance.Exchange exchange : exchanges) {
            problems.addAll(conformance.check(exchange));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("responses that do not match /openapi.json:\n  "
                    + String.join("\n  ", problems.stream().distinct().limit(50).toList()));
        }
    }

    @Override
    public void close() {
        try {
            checkResponsesAgainstOpenApi();
        } finally {
            app.close();
            TestDatabases.dropDatabase(database);
        }
    }
}
