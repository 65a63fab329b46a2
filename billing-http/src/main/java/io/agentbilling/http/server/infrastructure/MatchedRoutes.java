package io.agentbilling.http.server.infrastructure;

import io.agentbilling.http.routes.ApiRoute;
import io.agentbilling.http.routes.HttpMethod;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the route declaration a request matched, using Javalin's own router so that path matching (parameters,
 * trailing slashes) is exactly the one that dispatches. Thread-safe (the router is read-only once started).
 */
final class MatchedRoutes {
    private static final String ATTRIBUTE = MatchedRoutes.class.getName();

    private final InternalRouter router;

    MatchedRoutes(InternalRouter router) {
        this.router = router;
    }

    /**
     * The matched route, or {@code null} for an unmatched request. (Every GET route is also registered for HEAD with
     * the same declaration, so a HEAD request finds it too.)
     */
    ApiRoute route(Context ctx) {
        ApiRoute cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return cached;
        }
        ApiRoute route = fromEndpoint(ctx.endpoints().matchedHttpEndpoint());
        if (route != null) {
            ctx.attribute(ATTRIBUTE, route);
        }
        return route;
    }

    /** The methods some route serves at the request's path, for 405 and {@code Allow}; empty when none does. */
    List<String> allowedMethods(Context ctx) {
        String uri = requestUri(ctx);
        List<String> allowed = new ArrayList<>();
        for (HttpMethod method : HttpMethod.values()) {
            if (router.findFirstHttpHandlerEntry(new HandlerType(method.name()), uri) != null) {
                allowed.add(method.name());
                if (method == HttpMethod.GET) {
                    allowed.add("HEAD");
                }
            }
        }
        return allowed;
    }

    private static ApiRoute fromEndpoint(Endpoint endpoint) {
        if (endpoint == null) {
            return null;
        }
        RouteMetadata metadata = endpoint.metadata(RouteMetadata.class);
        return metadata == null ? null : metadata.route();
    }

    private static String requestUri(Context ctx) {
        return ctx.path().substring(ctx.contextPath().length());
    }
}
