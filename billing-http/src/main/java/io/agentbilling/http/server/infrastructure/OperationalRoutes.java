package io.agentbilling.http.server.infrastructure;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.agentbilling.http.auth.Access;
import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.json.MediaTypes;
import io.agentbilling.http.json.StatusView;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;

/**
 * {@code /health}, {@code /ready}, {@code /metrics} and {@code /openapi.json} (spec/API.md Part C). Open without
 * credentials, like the rest of Part C's operational endpoints; put them behind the network's own controls if the
 * metrics should not be public.
 */
final class OperationalRoutes implements RouteGroup {
    private final ReadinessProbe readiness;
    private final HttpMetrics metrics;
    private final RouteRegistry registry;
    private final HttpServerSettings settings;
    private volatile byte[] openApi; // built on first request, once every route is registered

    OperationalRoutes(ReadinessProbe readiness, HttpMetrics metrics, RouteRegistry registry,
            HttpServerSettings settings) {
        this.readiness = readiness;
        this.metrics = metrics;
        this.registry = registry;
        this.settings = settings;
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.get("/health", Access.PUBLIC_NONE)
                .summary("The process is up").tag("operations")
                .returns(StatusView.class)
                .handle(ctx -> Reply.ok(new StatusView("ok")));
        routes.get("/ready", Access.PUBLIC_NONE)
                .summary("The instance can serve traffic (its database answers)").tag("operations")
                .returns(StatusView.class)
                .handle(ctx -> {
                    if (!readiness.isReady()) {
                        throw ApiException.of(ErrorCode.UNAVAILABLE, "the service is not ready")
                                .withHeader("Retry-After", "1");
                    }
                    return Reply.ok(new StatusView("ready"));
                });
        routes.get("/metrics", settings.metricsRequireSecret() ? Access.INTERNAL : Access.PUBLIC_NONE)
                .summary("Prometheus metrics, text format").tag("operations")
                .description(settings.metricsRequireSecret() ? "Needs the internal secret (BILLING_METRICS_REQUIRE_SECRET)"
                        : "Open (set BILLING_METRICS_REQUIRE_SECRET=true to require the internal secret)")
                .handleRaw(HttpMetrics.CONTENT_TYPE,
                        ctx -> ctx.contentType(HttpMetrics.CONTENT_TYPE).result(metrics.scrape()));
        routes.get("/openapi.json", Access.PUBLIC_NONE)
                .summary("This description, OpenAPI 3.1").tag("operations")
                .handleRaw(MediaTypes.JSON, ctx -> ctx.contentType(MediaTypes.JSON).result(openApi()));
    }

    private byte[] openApi() {
        byte[] document = openApi;
        if (document == null) {
            document = Json.write(OpenApiDocument.build(registry, settings)).getBytes(UTF_8);
            openApi = document;
        }
        return document;
    }
}
