package io.agentbilling.http.routes;

import io.javalin.http.Context;

/** A route handler without a JSON body (or one that reads it itself): parse, call one use case, return a reply. */
@FunctionalInterface
public interface ApiHandler {
    Reply handle(Context ctx) throws Exception;
}
