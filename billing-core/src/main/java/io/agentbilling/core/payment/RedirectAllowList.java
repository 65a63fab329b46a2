package io.agentbilling.core.payment;

import io.agentbilling.core.error.BillingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The origins (scheme, host, port) that checkout may redirect back to, so the top-up endpoint is never an open
 * redirect. A URL passes when it is an absolute http(s) URL without user info whose origin is on the list; ports
 * are compared after defaulting (https://a.com == https://a.com:443). Immutable and thread-safe.
 */
public final class RedirectAllowList {
    public static final int MAX_URL_CHARS = 2048;
    /** Stripe's placeholder for the session id, which a caller may put in its own success URL. */
    public static final String SESSION_PLACEHOLDER = "{CHECKOUT_SESSION_ID}";

    private final Set<String> origins;

    /** @param origins e.g. {@code https://app.example.com}, {@code http://localhost:3000} */
    public RedirectAllowList(Set<String> origins) {
        Objects.requireNonNull(origins, "origins");
        Set<String> normalized = new LinkedHashSet<>();
        for (String origin : origins) {
            URI uri = parse(origin);
            if (uri == null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath()))
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]): " + origin);
            }
            normalized.add(originOf(uri));
        }
        this.origins = Set.copyOf(normalized);
    }

    public Set<String> origins() {
        return origins;
    }

    /** The URL itself when it may be redirected to; otherwise a 400 naming {@code field}. */
    public String check(String field, String url) {
        URI uri = parse(url);
        if (uri == null) {
            throw BillingException.invalid(field, "must be an absolute http(s) URL");
        }
        if (!origins.contains(originOf(uri))) {
            throw BillingException.invalid(field, "must be on an allowed origin");
        }
        return url;
    }

    /** Whether {@code url} is an absolute http(s) URL without user info (used for configured defaults too). */
    public static boolean isHttpUrl(String url) {
        return parse(url) != null;
    }

    /** Adds {@code session_id={CHECKOUT_SESSION_ID}} to the query (before any fragment) unless the URL has it. */
    public static String withSessionIdParameter(String url) {
        if (url.contains(SESSION_PLACEHOLDER)) {
            return url;
        }
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        String separator = !base.contains("?") ? "?" : (base.endsWith("?") || base.endsWith("&")) ? "" : "&";
        return base + separator + "session_id=" + SESSION_PLACEHOLDER + fragment;
    }

    private static URI parse(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_CHARS) {
            return null;
        }
        try {
            // The placeholder's braces are not legal in a URI; the rest of the URL must be.
            URI uri = new URI(url.replace(SESSION_PLACEHOLDER, "CHECKOUT_SESSION_ID"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean web = scheme.equals("http") || scheme.equals("https");
            if (!web || uri.isOpaque() || uri.getHost() == null || uri.getRawUserInfo() != null) {
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String originOf(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
