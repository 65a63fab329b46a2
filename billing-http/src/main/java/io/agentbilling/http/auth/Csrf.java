package io.agentbilling.http.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The CSRF token of a sign-in session: derived from the session token (SHA-256 of a fixed label and the token), so it
 * needs no storage, is the same on every server instance, and cannot be computed without the token, which only the
 * {@code HttpOnly} cookie holds. The page reads it from {@code GET /v1/billing/session} (same-origin script only)
 * and sends it in {@value #HEADER} on every write; a write authenticated by the cookie without it is 403. Stateless.
 */
public final class Csrf {
    public static final String HEADER = "X-CSRF-Token";
    private static final String LABEL = "billing-csrf-v1:";

    private Csrf() {
    }

    public static String tokenFor(String sessionToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((LABEL + sessionToken).getBytes(UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison of the presented token with the session's. */
    static boolean matches(String sessionToken, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(sessionToken).getBytes(UTF_8), presented.getBytes(UTF_8));
    }
}
