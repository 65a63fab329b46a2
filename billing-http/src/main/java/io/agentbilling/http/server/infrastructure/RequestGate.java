package io.agentbilling.http.server.infrastructure;

import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.json.MediaTypes;
import io.agentbilling.http.routes.ApiRoute;
import io.agentbilling.http.routes.RequestIds;
import io.javalin.http.Context;
import java.util.Locale;
import org.slf4j.MDC;

/** The checks every request passes before any route code runs. Stateless. */
final class RequestGate {
    static final String MDC_REQUEST_ID = "requestId";

    private RequestGate() {
    }

    /**
     * On arrival, matched or not: fix the request id (header and log context), set the headers every answer
     * carries, and refuse what no route may receive.
     */
    static void onArrival(Context ctx, long maxBodyBytes) {
        MDC.put(MDC_REQUEST_ID, RequestIds.assign(ctx));
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        if (ctx.header("X-HTTP-Method-Override") != null) {
            // Javalin would route by this header; a proxy filtering by method would then be bypassed.
            throw ApiException.of(ErrorCode.BAD_REQUEST, "X-HTTP-Method-Override is not supported");
        }
        if (ctx.req().getContentLengthLong() > maxBodyBytes) {
            throw ApiException.of(ErrorCode.PAYLOAD_TOO_LARGE,
                    "the request body exceeds the limit of " + maxBodyBytes + " bytes");
        }
    }

    /** After the access check: a body must be of the type the route reads (415 otherwise), and fit (413). */
    static void checkBody(Context ctx, ApiRoute route) {
        if (!route.method().takesBody() || !hasBody(ctx)) {
            return;
        }
        String contentType = ctx.contentType();
        boolean accepted = switch (route.bodyFormat()) {
            case JSON -> MediaTypes.isJson(contentType);
            case FORM -> contentType != null && contentType.toLowerCase(Locale.ROOT)
                    .startsWith("application/x-www-form-urlencoded");
        };
        if (!accepted) {
            throw ApiException.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, route.bodyFormat() == ApiRoute.BodyFormat.JSON
                    ? "the request body must be application/json"
                    : "the request body must be application/x-www-form-urlencoded");
        }
        // Read it now (Javalin keeps it for the handler): a chunked body past the limit is 413 on every route,
        // including those whose handler never reads it (the checkout forms), not only on those that parse it.
        ctx.bodyAsBytes();
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }
}
