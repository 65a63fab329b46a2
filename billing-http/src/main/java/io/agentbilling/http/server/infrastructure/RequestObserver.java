package io.agentbilling.http.server.infrastructure;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.routes.ApiRoute;
import io.agentbilling.http.routes.HttpMethod;
import io.agentbilling.http.routes.RequestIds;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * After each request: one log line and the request metrics. The line names the route pattern, never the raw path or
 * query, and never a header, so no credential or body can reach the log. Thread-safe.
 */
final class RequestObserver {
    /** Its own logger name, so the access log can be routed or silenced separately. */
    static final String LOGGER_NAME = "io.agentbilling.http.access";
    static final String UNMATCHED_ROUTE = "unmatched";
    private static final Logger ACCESS_LOG = LoggerFactory.getLogger(LOGGER_NAME);

    private final MatchedRoutes matchedRoutes;
    private final HttpMetrics metrics;

    RequestObserver(MatchedRoutes matchedRoutes, HttpMetrics metrics) {
        this.matchedRoutes = matchedRoutes;
        this.metrics = metrics;
    }

    void observe(Context ctx, Float executionTimeMs) {
        try {
            ApiRoute route = matchedRoutes.route(ctx);
            String routeLabel = route == null ? UNMATCHED_ROUTE : route.path();
            String method = methodLabel(ctx.req().getMethod());
            int status = ctx.statusCode();
            double latencyMs = executionTimeMs == null ? 0 : executionTimeMs;
            metrics.recordRequest(method, routeLabel, status, latencyMs / 1000.0);
            String org = AuthContext.orgIfKnown(ctx).map(OrgId::toString).orElse("-");
            String service = AuthContext.serviceIfAny(ctx).orElse("-");
            String latency = oneDecimal(latencyMs);
            ACCESS_LOG.atInfo()
                    .addKeyValue("requestId", RequestIds.of(ctx))
                    .addKeyValue("method", method)
                    .addKeyValue("route", routeLabel)
                    .addKeyValue("status", status)
                    .addKeyValue("latencyMs", latency)
                    .addKeyValue("orgId", org)
                    .addKeyValue("service", service)
                    .log("requestId={} method={} route={} status={} latencyMs={} orgId={} service={}",
                            RequestIds.of(ctx), method, routeLabel, status,
                            latency, org, service);
        } finally {
            MDC.remove(RequestGate.MDC_REQUEST_ID);
        }
    }

    /**
     * {@code 12.3}: what {@code String.format("%.1f")} prints for a non-negative latency, without a {@link
     * java.util.Formatter} per request (it showed up in the profile of the settlement path).
     */
    static String oneDecimal(double millis) {
        long tenths = Math.round(Math.max(0, millis) * 10);
        return (tenths / 10) + "." + (tenths % 10);
    }

    /** Known methods by name; anything else as {@code OTHER}, so a client cannot grow the label set. */
    private static String methodLabel(String method) {
        if (method == null) {
            return "OTHER";
        }
        for (HttpMethod known : HttpMethod.values()) {
            if (known.name().equals(method)) {
                return method;
            }
        }
        return method.equals("HEAD") || method.equals("OPTIONS") ? method : "OTHER";
    }
}
