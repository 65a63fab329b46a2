package io.agentbilling.http.support;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.http.auth.InternalCredential;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.server.infrastructure.BillingHttpServer;
import io.agentbilling.http.server.infrastructure.HttpDependencies;
import io.agentbilling.http.server.infrastructure.HttpMetrics;
import io.agentbilling.http.server.infrastructure.HttpServerSettings;
import io.javalin.Javalin;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The HTTP layer alone (no database, no use cases) on a free port: the demo routes, or the given ones, behind known
 * keys and service secrets, with the tests' {@link TestClient}.
 */
public final class TestServer implements ServerCalls, AutoCloseable {
    public static final String MEMBER_KEY = "rt_test_member_0123456789abcdef";
    public static final String ADMIN_KEY = "rt_test_admin_0123456789abcdef";
    public static final String SCHEDULER_SECRET = "scheduler-secret-0123456789abcdef";
    public static final String SANDBOX_SECRET = "sandbox-secret-fedcba9876543210";
    public static final OrgId ORG = OrgId.of("11111111-1111-4111-8111-111111111111");
    public static final Caller MEMBER = new Caller(ORG, MemberId.of("22222222-2222-4222-8222-222222222222"),
            Role.MEMBER, ApiKeyId.random());
    public static final Caller ADMIN = new Caller(ORG, MemberId.of("33333333-3333-4333-8333-333333333333"),
            Role.ADMIN, ApiKeyId.random());

    /** Set to make {@code /ready} fail. */
    public final AtomicReference<Exception> notReady = new AtomicReference<>();
    public final HttpMetrics metrics = new HttpMetrics();
    public final Javalin app;
    private final TestClient client;

    public TestServer() {
        this(List.of(new DemoRoutes()));
    }

    public TestServer(List<? extends RouteGroup> groups) {
        Map<String, Caller> keys = Map.of(MEMBER_KEY, MEMBER, ADMIN_KEY, ADMIN);
        HttpDependencies dependencies = new HttpDependencies(
                key -> Optional.ofNullable(keys.get(key)),
                List.of(new InternalCredential("scheduler", SCHEDULER_SECRET),
                        new InternalCredential("sandbox", SANDBOX_SECRET)),
                () -> {
                    Exception failure = notReady.get();
                    if (failure != null) {
                        throw failure;
                    }
                },
                metrics);
        app = BillingHttpServer.create(HttpServerSettings.forTests(), dependencies, groups).start(0);
        client = TestClient.builder().base("http://127.0.0.1:" + app.port()).internalSecret(SCHEDULER_SECRET)
                .build();
    }

    public int port() {
        return app.port();
    }

    /** The tests' client, bound to this server, with the internal credential of the scheduler. */
    @Override
    public TestClient client() {
        return client;
    }

    @Override
    public void close() {
        app.stop();
    }
}
