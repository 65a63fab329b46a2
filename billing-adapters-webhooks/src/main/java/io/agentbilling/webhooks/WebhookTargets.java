package io.agentbilling.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which addresses a webhook may be sent to: public ones only, unless the operator allows private targets. Refused
 * are the unspecified, loopback, link-local (cloud metadata services live there), private (RFC 1918, IPv6
 * unique-local), carrier-grade NAT (100.64/10) and multicast addresses, IPv4-mapped or not. A host name is resolved
 * and every address it resolves to is checked, so that a name with one public and one private address is refused.
 * Thread-safe.
 */
public final class WebhookTargets {

    /** Resolves a host name to its addresses (the system resolver in production). */
    @FunctionalInterface
    public interface Resolver {
        /**
         * The addresses of a host.
         *
         * @param host a host name or literal address, without brackets
         * @return every address it resolves to
         * @throws UnknownHostException when it does not resolve
         */
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    /** The system resolver. */
    public static final Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    private final boolean allowPrivate;
    private final Resolver resolver;

    /**
     * The guard.
     *
     * @param allowPrivate true to allow every address (the operator's {@code BILLING_WEBHOOK_ALLOW_PRIVATE_TARGETS}:
     *                     for tests and receivers inside the operator's own network); false to allow public ones only
     * @param resolver     how host names are resolved before a send, e.g. {@link #SYSTEM}
     */
    public WebhookTargets(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Why {@code url} may not be registered, without touching the network: a host that is a literal address (or
     * {@code localhost}) which is refused. Names are checked when sending.
     *
     * @param url an absolute http(s) URL with a host
     * @return why it is refused, or empty when it may be registered
     */
    public Optional<String> refusalWithoutLookup(URI url) {
        if (allowPrivate) {
            return Optional.empty();
        }
        String host = bareHost(url);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return Optional.of(refusedText(host));
        }
        Optional<InetAddress> literal = literalAddress(host);
        return literal.filter(WebhookTargets::isNonPublic).map(a -> refusedText(host));
    }

    /**
     * Resolves {@code url}'s host and checks every address.
     *
     * @param url an absolute http(s) URL with a host
     * @return why it is refused, or empty when every address may be reached
     * @throws UnknownHostException when the host does not resolve
     */
    public Optional<String> refusalAfterLookup(URI url) throws UnknownHostException {
        Optional<String> early = refusalWithoutLookup(url);
        if (early.isPresent() || allowPrivate) {
            return early;
        }
        String host = bareHost(url);
        List<InetAddress> addresses = resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            if (isNonPublic(address)) {
                return Optional.of("the host " + host + " resolves to " + address.getHostAddress()
                        + ", a private, loopback or link-local address; webhooks are not sent there");
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code address} is anything but a public unicast address.
     *
     * @param address an IPv4 or IPv6 address
     * @return true for an unspecified, loopback, link-local, private, unique-local, carrier-grade NAT, multicast or
     *         reserved address (IPv4-mapped or IPv4-compatible ones by their IPv4 address)
     */
    public static boolean isNonPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0                                    // "this network"
                    || first == 100 && second >= 64 && second < 128 // carrier-grade NAT, 100.64.0.0/10
                    || first >= 240;                             // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {                         // unique-local fc00::/7
                return true;
            }
            if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) { // deprecated site-local fec0::/10
                return true;
            }
            boolean mappedOrCompatible = true;                   // ::ffff:a.b.c.d and ::a.b.c.d
            for (int i = 0; i < 10; i++) {
                mappedOrCompatible &= b[i] == 0;
            }
            boolean mapped = mappedOrCompatible && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compatible = mappedOrCompatible && b[10] == 0 && b[11] == 0;
            if (mapped || compatible) {
                try {
                    return isNonPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true; // four bytes are always an address
                }
            }
        }
        return false;
    }

    private static String refusedText(String host) {
        return "the host " + host + " is a private, loopback or link-local address; webhooks are not sent there";
    }

    private static String bareHost(URI url) {
        String host = Objects.requireNonNull(url.getHost(), "the URL has no host").toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** The address a host names literally (dotted IPv4 or IPv6), without any lookup. */
    private static Optional<InetAddress> literalAddress(String host) {
        boolean ipv4 = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean ipv6 = host.contains(":") && host.matches("[0-9a-f:.%a-z]+");
        if (!ipv4 && !ipv6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(host)); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
