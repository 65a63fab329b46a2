package io.agentbilling.http.server;

import io.agentbilling.core.Billing;
import io.agentbilling.http.routes.RouteGroup;
import java.util.ArrayList;
import java.util.List;

/** Every route group of the API, built from the wired engine. */
final class RouteGroups {
    private RouteGroups() {}

    static List<RouteGroup> all(Billing billing, ServerConfig config, PaymentWiring payments) {
        List<RouteGroup> groups = new ArrayList<>();
        return groups;
    }
}
