package io.agentbilling.http.routes;

import io.javalin.http.Context;

/** A route handler that receives its JSON body already parsed and checked (see {@code Json.parse}). */
@FunctionalInterface
public interface BodyHandler<T> {
    Reply handle(Context ctx, T body) throws Exception;
}
