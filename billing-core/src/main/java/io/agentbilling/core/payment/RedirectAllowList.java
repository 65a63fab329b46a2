package io.agentbilling.core.payment;

import io.agentbilling.core.error.BillingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

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

    /**
     * The URL as checkout will redirect to it, when it may be: its non-ASCII characters percent-encoded as UTF-8 (an
     * HTTP {@code Location} header carries ASCII only), at most {@value #MAX_URL_CHARS} characters in that form, an
     * absolute http(s) URL without user info on an allowed origin. Otherwise a 400 naming {@code field}.
     *
     * @param field the request field this is about, named in a refusal
     */
    public String check(String field, String url) {
        if (url == null || url.isEmpty()) {
            throw BillingException.invalid(field, "must be an absolute http(s) URL");
        }
        String ascii = percentEncodeNonAscii(url);
        if (ascii.length() > MAX_URL_CHARS) {
            throw BillingException.invalid(field, "must have at most " + MAX_URL_CHARS
                    + " characters (a non-ASCII character counts as its percent-encoded UTF-8 bytes)");
        }
        URI uri = parse(ascii);
        if (uri == null) {
            throw BillingException.invalid(field, "must be an absolute http(s) URL");
        }
        if (!origins.contains(originOf(uri))) {
            throw BillingException.invalid(field, "must be on an allowed origin");
        }
        return ascii;
    }

    /**
     * {@link #check} for a success URL, which checkout completes with {@code session_id}: one that already names a
     * session ({@code session_id} or {@code sessionId} with a value other than the placeholder) would reach the
     * success page with two, so it is refused.
     *
     * @param field the request field this is about, named in a refusal
     */
    public String checkSuccessUrl(String field, String url) {
        String checked = check(field, url);
        String query = parse(checked).getRawQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                int equals = parameter.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? parameter : parameter.substring(0, equals),
                        StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : parameter.substring(equals + 1);
                if ((name.equals("session_id") || name.equals("sessionId")) && !value.equals(SESSION_PLACEHOLDER)
                        && !value.equals("CHECKOUT_SESSION_ID")) {
                    throw BillingException.invalid(field, "must not name a session (" + name + "): checkout adds "
                            + "session_id itself; put " + SESSION_PLACEHOLDER + " where it should go, or leave it out");
                }
            }
        }
        return checked;
    }

    /**
     * Whether {@code url} is an absolute http(s) URL without user info (used for configured defaults too).
     */
    public static boolean isHttpUrl(String url) {
        return parse(url) != null;
    }

    /**
     * Adds {@code session_id={CHECKOUT_SESSION_ID}} to the query (before any fragment) unless the URL has it.
     */
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

    /** {@code url} with every character outside ASCII written as the percent-encoded bytes of its UTF-8 form. */
    static String percentEncodeNonAscii(String url) {
        StringBuilder ascii = new StringBuilder(url.length());
        url.codePoints().forEach(c -> {
            if (c < 0x80) {
                ascii.append((char) c);
            } else {
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    ascii.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
        });
        return ascii.toString();
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
