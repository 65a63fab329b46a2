package io.agentbilling.http.auth;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Typed access to who is calling, as established by the server's access check before the handler ran.
 * The attribute keys are private, so nothing else can put a caller into a request.
 */
public final class AuthContext {
    private static final String CALLER = AuthContext.class.getName() + ".caller";
    private static final String SERVICE = AuthContext.class.getName() + ".service";
    private static final String ORG = AuthContext.class.getName() + ".org";
    private static final String SESSION = AuthContext.class.getName() + ".session";

    private AuthContext() {
    }

    /**
     * The authenticated member on a {@link Access#MEMBER}, {@link Access#ADMIN} or {@link Access#SESSION} route. Calling it on a route of
     * another access level is a programming error and fails loudly.
     */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller: the route is not MEMBER or ADMIN");
        }
        return caller;
    }

    public static Optional<Caller> callerIfAny(Context ctx) {
        return Optional.ofNullable(ctx.attribute(CALLER));
    }

    /** The name of the service credential that authenticated an {@link Access#INTERNAL} route. */
    public static String service(Context ctx) {
        String service = ctx.attribute(SERVICE);
        if (service == null) {
            throw new IllegalStateException("no authenticated service: the route is not INTERNAL");
        }
        return service;
    }

    public static Optional<String> serviceIfAny(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SERVICE));
    }

    /**
     * Names the org a request acts on, for the request log, where the caller does not imply it (internal routes,
     * which take {@code orgId} in the body).
     */
    public static void noteOrg(Context ctx, OrgId orgId) {
        ctx.attribute(ORG, orgId);
    }

    /** The org for the request log: the one noted by the route, else the caller's, if any. */
    public static Optional<OrgId> orgIfKnown(Context ctx) {
        OrgId noted = ctx.attribute(ORG);
        if (noted != null) {
            return Optional.of(noted);
        }
        return callerIfAny(ctx).map(Caller::orgId);
    }

    static void setCaller(Context ctx, Caller caller) {
        ctx.attribute(CALLER, caller);
    }

    /**
     * The sign-in session token the request was authenticated with, when it was (not with an API key). Never log
     * it.
     */
    public static Optional<String> sessionToken(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION));
    }

    static void setSession(Context ctx, String token) {
        ctx.attribute(SESSION, token);
    }

    static void setService(Context ctx, String service) {
        ctx.attribute(SERVICE, service);
    }
}
