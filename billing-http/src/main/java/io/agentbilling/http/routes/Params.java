package io.agentbilling.http.routes;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.json.Text;
import io.agentbilling.http.json.Timestamps;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads query and path parameters with the same strictness as JSON bodies: a malformed value, or a query parameter
 * given twice, is a 400 naming the parameter, never a silent default.
 */
public final class Params {
    private Params() {
    }

    /** A single-valued query parameter; an empty value counts as absent; text as {@link Text} allows. */
    public static Optional<String> string(Context ctx, String name) {
        List<String> values = ctx.queryParams(name);
        if (values.size() > 1) {
            throw BillingException.invalid(name, "must be given once");
        }
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return Optional.empty();
        }
        String problem = Text.problem(values.get(0));
        if (problem != null) {
            throw BillingException.invalid(name, problem);
        }
        return Optional.of(values.get(0));
    }

    public static Optional<Long> integer(Context ctx, String name, long min, long max) {
        return string(ctx, name).map(text -> {
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw BillingException.invalid(name, "must be an integer");
            }
            if (value < min || value > max) {
                throw BillingException.invalid(name, "must be between " + min + " and " + max);
            }
            return value;
        });
    }

    /** {@code true} or {@code false}, nothing else. */
    public static Optional<Boolean> bool(Context ctx, String name) {
        return string(ctx, name).map(text -> switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw BillingException.invalid(name, "must be true or false");
        });
    }

    public static Optional<Instant> timestamp(Context ctx, String name) {
        return string(ctx, name).map(text -> {
            Instant instant;
            try {
                instant = Instant.parse(text);
            } catch (DateTimeParseException e) {
                instant = null;
            }
            if (instant == null || !Timestamps.inRange(instant)) {
                throw BillingException.invalid(name, "must be an RFC 3339 timestamp such as 2026-11-27T10:31:00Z");
            }
            return instant;
        });
    }

    public static Optional<UUID> uuid(Context ctx, String name) {
        return string(ctx, name).map(text -> parseUuid(name, text));
    }

    /**
     * The org a member's request acts on: the {@code orgId} query parameter when given, else the caller's own.
     * Another org is 403 (see {@link io.agentbilling.core.access.Caller#resolveOrg}).
     */
    public static OrgId org(Context ctx) {
        OrgId requested = uuid(ctx, "orgId").map(OrgId::new).orElse(null);
        return AuthContext.caller(ctx).resolveOrg(requested);
    }

    /** A path parameter that must be a UUID. */
    public static UUID pathUuid(Context ctx, String name) {
        return parseUuid(name, ctx.pathParam(name));
    }

    private static UUID parseUuid(String name, String text) {
        try {
            UUID value = UUID.fromString(text);
            if (!value.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException("not canonical");
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw BillingException.invalid(name, "must be a UUID");
        }
    }
}
