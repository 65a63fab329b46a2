package io.agentbilling.http.auth;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sign-in session cookie: {@code HttpOnly} (no script can read it), {@code SameSite=Strict} (no other site's page
 * can make the browser send it), {@code Path=/}, with a {@code Max-Age} equal to the session's remaining life; behind
 * https (a public URL starting {@code https://}) also {@code Secure} and named with the {@code __Host-} prefix, which
 * browsers only accept from a secure origin without a {@code Domain}. Immutable.
 */
public final class SessionCookie {
    static final String NAME = "billing_session";
    private static final String HOST_PREFIX = "__Host-";

    private final boolean secure;
    private final String name;

    private SessionCookie(boolean secure) {
        this.secure = secure;
        this.name = secure ? HOST_PREFIX + NAME : NAME;
    }

    /** Secure when the server's public URL is https. */
    public static SessionCookie forPublicUrl(String publicUrl) {
        return new SessionCookie(publicUrl.toLowerCase(Locale.ROOT).startsWith("https://"));
    }

    public String name() {
        return name;
    }

    public boolean secure() {
        return secure;
    }

    /** The {@code Set-Cookie} value that stores {@code token} for {@code maxAge}. */
    public String set(String token, Duration maxAge) {
        return name + "=" + token + attributes(Math.max(0, maxAge.toSeconds()));
    }

    /** The {@code Set-Cookie} value that makes the browser forget the cookie. */
    public String clear() {
        return name + "=" + attributes(0);
    }

    /**
     * The token the request carries, or null. Sent twice with different values (another cookie of the same name set by
     * something else on the host) it is refused as ambiguous: null, and the caller is simply not signed in.
     */
    String read(Context ctx) {
        String header = ctx.header("Cookie");
        if (header == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (String part : header.split(";")) {
            String pair = part.strip();
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                values.add(pair.substring(equals + 1));
            }
        }
        if (values.isEmpty() || values.stream().distinct().count() > 1 || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }

    private String attributes(long maxAgeSeconds) {
        return "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
