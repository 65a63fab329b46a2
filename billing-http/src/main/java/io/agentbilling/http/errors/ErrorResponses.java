package io.agentbilling.http.errors;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.http.json.Envelopes;
import io.agentbilling.http.routes.RequestIds;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders every failure as the error envelope of spec/API.md §0, through one table ({@link ErrorCode}). The server
 * registers one handler per exception family; each is total (never throws), since a throwing handler would fall
 * back to Javalin's own, non-envelope answer.
 *
 * <p>Clients never see a stack trace or an exception's internals: 5xx answers carry a generic sentence and the
 * request id, and the details go to the log under that id. Thread-safe.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private static final int MAX_CAUSES = 32;
    /** PostgreSQL SQLSTATEs meaning "the database is not there right now", beyond class 08 (connection). */
    private static final Set<String> UNAVAILABLE_SQL_STATES = Set.of("57P01", "57P02", "57P03", "53300", "53400");
    private static final String RETRY_AFTER_SECONDS = "1";

    private final Function<Context, List<String>> allowedMethods;

    /**
     * @param allowedMethods the methods that do have a route at the request's path (empty when none does), used to
     *                       tell 405 from 404
     */
    public ErrorResponses(Function<Context, List<String>> allowedMethods) {
        this.allowedMethods = Objects.requireNonNull(allowedMethods, "allowedMethods");
    }

    /** Writes the error envelope; any body or status set before is replaced. */
    public static void render(Context ctx, ErrorCode code, String message, List<FieldIssue> details) {
        ctx.status(code.status()).json(new Envelopes.Error(new Envelopes.ErrorBody(
                code.wireCode(), message, RequestIds.of(ctx), details)));
    }

    public void onBillingException(BillingException refused, Context ctx) {
        ErrorCode code = ErrorCode.of(refused.error());
        if (code == ErrorCode.INTERNAL_ERROR) {
            internalError(ctx, refused);
            return;
        }
        if (code.status() >= 500) {
            LOG.warn("requestId={} answered {}: {}", RequestIds.of(ctx), code.wireCode(), refused.getMessage(), refused);
        }
        if (code == ErrorCode.UNAVAILABLE || code == ErrorCode.OVERLOADED) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        render(ctx, code, refused.getMessage(), refused.details());
    }

    public void onApiException(ApiException refused, Context ctx) {
        for (Map.Entry<String, String> header : refused.headers().entrySet()) {
            ctx.header(header.getKey(), header.getValue());
        }
        render(ctx, refused.code(), refused.getMessage(), refused.details());
    }

    /** Javalin's own refusals: an unmatched route (404 or 405), an oversized body (413), and the like. */
    public void onHttpResponseException(HttpResponseException refused, Context ctx) {
        if (refused instanceof EndpointNotFound) {
            List<String> allowed = allowedMethods.apply(ctx);
            if (!allowed.isEmpty()) {
                ctx.header("Allow", String.join(", ", allowed));
                render(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                        ctx.method() + " is not allowed here; allowed: " + String.join(", ", allowed), List.of());
                return;
            }
            render(ctx, ErrorCode.NOT_FOUND, "there is no endpoint at this path", List.of());
            return;
        }
        ErrorCode code = ErrorCode.forStatus(refused.getStatus());
        if (code.status() >= 500) {
            LOG.warn("requestId={} answered {} from {}", RequestIds.of(ctx), refused.getStatus(),
                    refused.getClass().getSimpleName());
        }
        render(ctx, code, defaultMessage(code), List.of());
    }

    /** Javalin's validators ({@code ctx.queryParamAsClass(…).get()}), should a route use them. */
    public void onValidationException(ValidationException refused, Context ctx) {
        List<FieldIssue> details = new ArrayList<>();
        for (Map.Entry<String, List<ValidationError<Object>>> field : refused.getErrors().entrySet()) {
            for (ValidationError<Object> error : field.getValue()) {
                details.add(new FieldIssue(field.getKey(), describe(error.getMessage())));
            }
        }
        String message = details.isEmpty() ? "the request is invalid"
                : details.stream().map(d -> d.field() + " " + d.issue()).collect(Collectors.joining("; "));
        render(ctx, ErrorCode.BAD_REQUEST, message, details);
    }

    /**
     * Everything else. A refusal wrapped by a library is unwrapped; a pool whose connections were all busy past its
     * wait is 503 {@code overloaded}; a database that cannot be reached (refused or lost connection) is 503
     * {@code unavailable}; a Jetty-level 4xx keeps its status; anything left is our bug:
     * 500 with a generic message, and the stack trace in the log under the request id.
     */
    public void onException(Exception failure, Context ctx) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSES; depth++, current = current.getCause()) {
            if (current instanceof BillingException refused) {
                onBillingException(refused, ctx);
                return;
            }
            if (current instanceof ApiException refused) {
                onApiException(refused, ctx);
                return;
            }
            if (isPoolExhausted(current)) {
                LOG.warn("requestId={} overloaded: {}", RequestIds.of(ctx), current.toString());
                ctx.header("Retry-After", RETRY_AFTER_SECONDS);
                render(ctx, ErrorCode.OVERLOADED, "the server is overloaded: no database connection was free in "
                        + "time; retry shortly", List.of());
                return;
            }
            if (isDatabaseUnavailable(current)) {
                LOG.warn("requestId={} database unavailable: {}", RequestIds.of(ctx), current.toString());
                ctx.header("Retry-After", RETRY_AFTER_SECONDS);
                render(ctx, ErrorCode.UNAVAILABLE, "the service is temporarily unavailable; retry shortly", List.of());
                return;
            }
            if (current instanceof org.eclipse.jetty.http.HttpException jetty
                    && jetty.getCode() >= 400 && jetty.getCode() < 500) {
                ErrorCode code = ErrorCode.forStatus(jetty.getCode());
                render(ctx, code, defaultMessage(code), List.of());
                return;
            }
        }
        internalError(ctx, failure);
    }

    /**
     * The pool's wait for a connection ran out while the database answers: HikariCP's timeout carries the last
     * connection failure as its cause when the database cannot be reached, and nothing when every connection was
     * simply busy.
     */
    static boolean isPoolExhausted(Throwable failure) {
        if (!(failure instanceof SQLTransientConnectionException)) {
            return false;
        }
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException || cause instanceof java.io.IOException) {
                return false;
            }
        }
        return true;
    }

    static boolean isDatabaseUnavailable(Throwable failure) {
        if (failure instanceof SQLTransientConnectionException
                || failure instanceof SQLNonTransientConnectionException
                || failure instanceof SQLTimeoutException) {
            return true;
        }
        if (failure instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || UNAVAILABLE_SQL_STATES.contains(state);
        }
        return false;
    }

    private static void internalError(Context ctx, Throwable failure) {
        String requestId = RequestIds.of(ctx);
        LOG.error("requestId={} internal error on {} {}", requestId, ctx.method(), ctx.path(), failure);
        render(ctx, ErrorCode.INTERNAL_ERROR,
                "an internal error occurred; quote request id " + requestId + " when reporting it", List.of());
    }

    /** Our sentence for a refusal raised outside our code (whose own message may echo internals). */
    public static String defaultMessage(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST -> "the request is malformed";
            case UNAUTHORIZED -> "credentials are required";
            case INVALID_TOKEN -> "the credentials are not valid";
            case PAYMENT_DECLINED -> "the payment was declined";
            case INSUFFICIENT_CREDIT -> "not enough credit or budget is left for this";
            case FORBIDDEN -> "this credential may not do that";
            case NOT_FOUND -> "there is no endpoint at this path";
            case METHOD_NOT_ALLOWED -> "this method is not allowed here";
            case CONFLICT, IDEMPOTENCY_CONFLICT -> "the request conflicts with the current state";
            case PAYLOAD_TOO_LARGE -> "the request body is too large";
            case URI_TOO_LONG -> "the request URI is too long";
            case HEADERS_TOO_LARGE -> "the request headers are too large";
            case HTTP_VERSION_NOT_SUPPORTED -> "the HTTP version is not supported; use HTTP/1.1";
            case UNSUPPORTED_MEDIA_TYPE -> "the request body must be application/json";
            case UNPROCESSABLE, UNKNOWN_MODEL, PAYMENT_METHOD_REQUIRED -> "the request cannot be processed";
            case RATE_LIMITED -> "too many requests; slow down";
            case INTERNAL_ERROR -> "an internal error occurred";
            case PAYMENT_PROVIDER_ERROR -> "the payment provider failed; retry later";
            case OVERLOADED -> "the server is overloaded; retry shortly";
            case UNAVAILABLE -> "the service is temporarily unavailable; retry shortly";
        };
    }

    private static String describe(String javalinMessage) {
        return switch (javalinMessage) {
            case "TYPE_CONVERSION_FAILED" -> "has the wrong type";
            case "NULLCHECK_FAILED" -> "is required";
            default -> javalinMessage;
        };
    }
}
