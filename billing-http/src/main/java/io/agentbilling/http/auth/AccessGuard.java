package io.agentbilling.http.auth;

import io.agentbilling.core.access.Caller;
import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.errors.ErrorCode;
import io.javalin.http.Context;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Enforces a route's {@link Access} before its handler runs (spec/API.md §1). Never logs a key or secret, and never
 * says which part of a credential was wrong.
 *
 * <p>Credentials are not interchangeable: an API key on an internal route counts as no credential, and so does the
 * internal secret on a member route. Thread-safe.
 */
public final class AccessGuard {
    public static final String API_KEY_HEADER = "X-API-Key";
    public static final String INTERNAL_SECRET_HEADER = "X-Internal-Secret";
    private static final String BEARER_PREFIX = "bearer ";
    /** Longer values are not keys; refuse them without handing them to the authenticator. */
    private static final int MAX_CREDENTIAL_LENGTH = 512;
    private static final String API_KEY_CHALLENGE = "Bearer realm=\"billing\"";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final ApiKeyAuthenticator authenticator;
    private final InternalSecretVerifier internalSecrets;
    private final SessionAuthenticator sessions;
    private final SessionCookie sessionCookie;

    /** Without sign-in sessions: API keys and the internal secret only. */
    public AccessGuard(ApiKeyAuthenticator authenticator, InternalSecretVerifier internalSecrets) {
        this(authenticator, internalSecrets, SessionAuthenticator.NONE, SessionCookie.forPublicUrl("http://localhost"));
    }

    public AccessGuard(ApiKeyAuthenticator authenticator, InternalSecretVerifier internalSecrets,
                       SessionAuthenticator sessions, SessionCookie sessionCookie) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.internalSecrets = Objects.requireNonNull(internalSecrets, "internalSecrets");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.sessionCookie = Objects.requireNonNull(sessionCookie, "sessionCookie");
    }

    public void check(Context ctx, Access access) {
        switch (access) {
            case PUBLIC_NONE -> {
                // nothing to check
            }
            case MEMBER, ADMIN -> {
                Caller caller = authenticateMember(ctx);
                AuthContext.setCaller(ctx, caller); // known even when refused below, for the request log
                if (access == Access.ADMIN && !caller.isAdmin()) {
                    throw ApiException.of(ErrorCode.FORBIDDEN, "this action needs an org admin's key");
                }
            }
            case INTERNAL -> AuthContext.setService(ctx, authenticateService(ctx));
            case SESSION -> {
                // API keys are not sign-in sessions: on these routes they count as no credential.
                String token = sessionCookie.read(ctx);
                if (token == null) {
                    throw ApiException.of(ErrorCode.UNAUTHORIZED, "this endpoint needs a sign-in session: sign in first");
                }
                AuthContext.setCaller(ctx, authenticateSession(ctx, token));
            }
        }
    }

    /**
     * An API key when one is sent (the explicit credential wins); otherwise the sign-in session cookie, if any. A
     * request authenticated by the cookie that writes must carry the session's CSRF token.
     */
    private Caller authenticateMember(Context ctx) {
        Optional<String> presented = presentedApiKey(ctx);
        if (presented.isEmpty()) {
            String token = sessionCookie.read(ctx);
            if (token != null) {
                return authenticateSession(ctx, token);
            }
        }
        String key = presented.orElseThrow(() -> ApiException.of(ErrorCode.UNAUTHORIZED,
                        "an API key is required: send it as X-API-Key or Authorization: Bearer")
                .withHeader("WWW-Authenticate", API_KEY_CHALLENGE));
        Optional<Caller> caller = key.length() > MAX_CREDENTIAL_LENGTH ? Optional.empty() : authenticator.authenticate(key);
        return caller.orElseThrow(() -> ApiException.of(ErrorCode.INVALID_TOKEN,
                        "the API key is unknown, revoked or expired")
                .withHeader("WWW-Authenticate", API_KEY_CHALLENGE + ", error=\"invalid_token\""));
    }

    private Caller authenticateSession(Context ctx, String token) {
        Optional<Caller> caller = token.length() > MAX_CREDENTIAL_LENGTH ? Optional.empty()
                : sessions.authenticate(token);
        Caller found = caller.orElseThrow(() -> ApiException.of(ErrorCode.INVALID_TOKEN,
                        "the sign-in session has ended (signed out, expired, or its API key was revoked); sign in again")
                .withHeader("WWW-Authenticate", API_KEY_CHALLENGE + ", error=\"invalid_token\""));
        AuthContext.setSession(ctx, token);
        if (!SAFE_METHODS.contains(ctx.method().name()) && !Csrf.matches(token, single(ctx, Csrf.HEADER))) {
            AuthContext.setCaller(ctx, found); // for the request log
            throw ApiException.of(ErrorCode.FORBIDDEN, "a change made with a sign-in session needs the session's "
                    + Csrf.HEADER + " header (GET /v1/billing/session gives it)");
        }
        return found;
    }

    private String authenticateService(Context ctx) {
        String secret = blankToNull(single(ctx, INTERNAL_SECRET_HEADER));
        if (secret == null) {
            throw ApiException.of(ErrorCode.UNAUTHORIZED, "this endpoint needs the X-Internal-Secret header");
        }
        Optional<String> service = secret.length() > MAX_CREDENTIAL_LENGTH ? Optional.empty()
                : internalSecrets.verify(secret);
        return service.orElseThrow(() -> ApiException.of(ErrorCode.INVALID_TOKEN, "the internal secret is not valid"));
    }

    /**
     * The key from {@code X-API-Key} or {@code Authorization: Bearer …}. Both may be sent only if they agree;
     * an {@code Authorization} header of another scheme counts as no key.
     */
    private static Optional<String> presentedApiKey(Context ctx) {
        String headerKey = blankToNull(single(ctx, API_KEY_HEADER));
        String bearer = null;
        String authorization = single(ctx, "Authorization");
        if (authorization != null && authorization.length() > BEARER_PREFIX.length()
                && authorization.substring(0, BEARER_PREFIX.length()).toLowerCase(Locale.ROOT).equals(BEARER_PREFIX)) {
            bearer = blankToNull(authorization.substring(BEARER_PREFIX.length()));
        }
        if (headerKey != null && bearer != null && !headerKey.equals(bearer)) {
            throw ApiException.of(ErrorCode.BAD_REQUEST,
                    "X-API-Key and Authorization carry different keys; send one key in one header");
        }
        return Optional.ofNullable(headerKey != null ? headerKey : bearer);
    }

    /**
     * The header's value; a credential header repeated with different values is refused (400) rather than resolved
     * by taking the first, which a proxy that appends its own header would not expect.
     */
    private static String single(Context ctx, String name) {
        List<String> values = Collections.list(ctx.req().getHeaders(name));
        if (values.stream().distinct().count() > 1) {
            throw ApiException.of(ErrorCode.BAD_REQUEST, name + " was sent more than once with different values; "
                    + "send one credential");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    private static String blankToNull(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
