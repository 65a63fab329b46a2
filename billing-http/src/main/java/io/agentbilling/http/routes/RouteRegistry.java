package io.agentbilling.http.routes;

import io.agentbilling.http.auth.Access;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every route of the server, in registration order. Route groups add to it; the server then registers each with
 * Javalin and describes each in {@code /openapi.json}. Filled on one thread at start-up, read-only afterwards.
 */
public final class RouteRegistry {
    private final List<ApiRoute> routes = new ArrayList<>();
    private final Map<String, ApiRoute> byShape = new HashMap<>();

    public ApiRoute.Builder get(String path, Access access) {
        return new ApiRoute.Builder(this, HttpMethod.GET, path, access);
    }

    public ApiRoute.Builder post(String path, Access access) {
        return new ApiRoute.Builder(this, HttpMethod.POST, path, access);
    }

    public ApiRoute.Builder put(String path, Access access) {
        return new ApiRoute.Builder(this, HttpMethod.PUT, path, access);
    }

    public ApiRoute.Builder patch(String path, Access access) {
        return new ApiRoute.Builder(this, HttpMethod.PATCH, path, access);
    }

    public ApiRoute.Builder delete(String path, Access access) {
        return new ApiRoute.Builder(this, HttpMethod.DELETE, path, access);
    }

    /** Adds every route of each group. */
    public RouteRegistry addAll(List<? extends RouteGroup> groups) {
        for (RouteGroup group : groups) {
            group.addTo(this);
        }
        return this;
    }

    public List<ApiRoute> routes() {
        return Collections.unmodifiableList(routes);
    }

    public Optional<ApiRoute> find(HttpMethod method, String path) {
        return Optional.ofNullable(byShape.get(shape(method, path)));
    }

    void add(ApiRoute route) {
        String shape = shape(route.method(), route.path());
        ApiRoute existing = byShape.putIfAbsent(shape, route);
        if (existing != null) {
            throw new IllegalStateException("two routes for " + route + " and " + existing);
        }
        routes.add(route);
    }

    /** Method and path with parameter names erased and no trailing slash: {@code /a/{x}} and {@code /a/{y}/} clash. */
    private static String shape(HttpMethod method, String path) {
        String erased = path.replaceAll("\\{[^}]*}", "{}");
        if (erased.length() > 1 && erased.endsWith("/")) {
            erased = erased.substring(0, erased.length() - 1);
        }
        return method + " " + erased;
    }
}
