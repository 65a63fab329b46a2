package io.agentbilling.core.webhooks;

import io.agentbilling.core.error.BillingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The shape rules of an endpoint URL: absolute {@code https} or {@code http}, a host, no user info and no fragment,
 * at most {@value #MAX_LENGTH} characters. Whether its host may be reached at all (private and loopback addresses)
 * is the webhook sender's rule, checked again at every delivery against the address actually connected to.
 */
public final class WebhookUrl {
    public static final int MAX_LENGTH = 2048;

    private WebhookUrl() {}

    /**
     * @param field the request field, for the refusal
     * @return the URL as a URI
     * @throws BillingException {@code BAD_REQUEST} naming {@code field} when the URL breaks a rule
     */
    public static URI parse(String field, String url) {
        if (url == null || url.isEmpty()) {
            throw BillingException.invalid(field, "is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw BillingException.invalid(field, "must have at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw BillingException.invalid(field, "is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))) {
            throw BillingException.invalid(field, "must be an https or http URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw BillingException.invalid(field, "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw BillingException.invalid(field, "must not carry user info");
        }
        if (uri.getRawFragment() != null) {
            throw BillingException.invalid(field, "must not have a fragment");
        }
        if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw BillingException.invalid(field, "must be ASCII without spaces (percent-encode the rest)");
        }
        return uri;
    }
}
