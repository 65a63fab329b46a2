package io.agentbilling.http.server.infrastructure;

import io.agentbilling.http.routes.ApiRoute;
import io.javalin.router.EndpointMetadata;

/** Attaches our route declaration to the Javalin endpoint, so the request pipeline can read it back. */
record RouteMetadata(ApiRoute route) implements EndpointMetadata {
}
