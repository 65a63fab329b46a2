package io.agentbilling.http.pages;

import io.agentbilling.core.access.SignInSession;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.usecase.AuthenticateSession;
import io.agentbilling.core.usecase.SignIn;
import io.agentbilling.core.usecase.SignOut;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.auth.Csrf;
import io.agentbilling.http.auth.SessionCookie;
import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Objects;

/**
 * Sign-in sessions for the billing page: {@code POST /v1/billing/session} exchanges an API key for a session cookie
 * (the key goes no further than this request), {@code GET} says who is signed in and gives the CSRF token,
 * {@code DELETE} signs out. The session rules (lifetime, a revoked key ending its sessions) are the core's
 * ({@link SignIn}, {@link AuthenticateSession}, {@link SignOut}); this class only speaks HTTP: the cookie and the
 * CSRF token. Thread-safe.
 */
public final class SessionRoutes implements RouteGroup {
    static final String PATH = "/v1/billing/session";
    /** Longer values are not keys: a malformed field (400), as in any other body. */
    private static final int MAX_KEY_LENGTH = 512;

    private final SignIn signIn;
    private final AuthenticateSession authenticateSession;
    private final SignOut signOut;
    private final SessionCookie cookie;

    public SessionRoutes(SignIn signIn, AuthenticateSession authenticateSession, SignOut signOut, SessionCookie cookie) {
        this.signIn = Objects.requireNonNull(signIn, "signIn");
        this.authenticateSession = Objects.requireNonNull(authenticateSession, "authenticateSession");
        this.signOut = Objects.requireNonNull(signOut, "signOut");
        this.cookie = Objects.requireNonNull(cookie, "cookie");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.post(PATH, Access.PUBLIC_NONE)
                .summary("Sign in: exchange an API key for a session cookie").tag("sign-in sessions")
                .description("Opens a sign-in session of the key's member and sets it as an HttpOnly, SameSite=Strict "
                        + "cookie (Secure behind https) that expires with the session. The key is not stored and "
                        + "need not be kept by the client. The session acts with the key's role and only while the "
                        + "key is active: revoking the key ends it. An unknown, revoked or expired key is 401.")
                .status(201)
                .errors(ErrorCode.INVALID_TOKEN)
                .returns(SessionView.class)
                .handle(SignInRequest.class, (ctx, body) -> {
                    String key = body.apiKey();
                    if (key.length() > MAX_KEY_LENGTH) {
                        throw BillingException.invalid("apiKey", "must have at most " + MAX_KEY_LENGTH + " characters");
                    }
                    SignIn.Result result = signIn.execute(key).orElseThrow(() -> ApiException.of(
                            ErrorCode.INVALID_TOKEN, "the API key is unknown, revoked or expired"));
                    SignInSession session = result.session();
                    return Reply.created(SessionView.of(result.caller(), session.expiresAt(),
                                    Csrf.tokenFor(result.token())))
                            .withHeader("Set-Cookie", cookie.set(result.token(),
                                    Duration.between(session.createdAt(), session.expiresAt())));
                });

        routes.get(PATH, Access.SESSION)
                .summary("The signed-in member and the session's CSRF token").tag("sign-in sessions")
                .description("Only with the session cookie (an API key counts as no credential here).")
                .returns(SessionView.class)
                .handle(ctx -> {
                    String token = token(ctx);
                    AuthenticateSession.Result session = authenticateSession.execute(token)
                            .orElseThrow(() -> ApiException.of(ErrorCode.INVALID_TOKEN, "the sign-in session has ended"));
                    return Reply.ok(SessionView.of(session.caller(), session.session().expiresAt(),
                            Csrf.tokenFor(token)));
                });

        routes.delete(PATH, Access.SESSION)
                .summary("Sign out: end the session and clear its cookie").tag("sign-in sessions")
                .description("Ends the session on every server instance; needs the session's X-CSRF-Token.")
                .header(Csrf.HEADER, "The session's CSRF token (required)")
                .returnsNothing()
                .handle(ctx -> {
                    signOut.execute(token(ctx));
                    return Reply.noContent().withHeader("Set-Cookie", cookie.clear());
                });
    }

    private static String token(Context ctx) {
        return AuthContext.sessionToken(ctx)
                .orElseThrow(() -> new IllegalStateException("a SESSION route without a session"));
    }
}
