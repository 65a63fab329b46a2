package io.agentbilling.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebhookTargetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "0.0.0.0", "100.64.0.1", "100.127.255.254", "224.0.0.1", "255.255.255.255", "::1",
            "::", "fe80::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3",
            "::ffff:169.254.169.254", "::127.0.0.1"})
    void non_public_addresses_are_refused(String literal) throws Exception {
        assertTrue(WebhookTargets.isNonPublic(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.169.0.1",
            "2606:4700:4700::1111", "::ffff:8.8.8.8"})
    void public_addresses_are_allowed(String literal) throws Exception {
        assertFalse(WebhookTargets.isNonPublic(InetAddress.getByName(literal)), literal);
    }

    @Test
    void literal_private_hosts_and_localhost_are_refused_at_registration_without_a_lookup() {
        WebhookTargets targets = new WebhookTargets(false, host -> {
            throw new AssertionError("no lookup at registration, asked for " + host);
        });
        for (String url : List.of("http://127.0.0.1:8080/hook", "https://[::1]/hook", "http://localhost/x",
                "http://LOCALHOST./x", "http://api.localhost/x", "http://169.254.169.254/latest/meta-data",
                "https://[::ffff:192.168.0.1]/x", "http://10.0.0.7/x")) {
            assertTrue(targets.refusalWithoutLookup(URI.create(url)).isPresent(), url);
        }
        assertEquals(Optional.empty(), targets.refusalWithoutLookup(URI.create("https://hooks.example.com/x")));
        assertEquals(Optional.empty(), targets.refusalWithoutLookup(URI.create("https://8.8.8.8/x")));
    }

    @Test
    void every_resolved_address_is_checked_when_sending() throws Exception {
        Map<String, List<InetAddress>> dns = Map.of(
                "public.example", List.of(InetAddress.getByName("93.184.216.34")),
                "mixed.example", List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.5")),
                "metadata.example", List.of(InetAddress.getByName("169.254.169.254")),
                "v6local.example", List.of(InetAddress.getByName("2606:4700::1"), InetAddress.getByName("fd00::5")));
        WebhookTargets targets = new WebhookTargets(false, host -> {
            List<InetAddress> found = dns.get(host);
            if (found == null) {
                throw new UnknownHostException(host);
            }
            return found;
        });
        assertEquals(Optional.empty(), targets.refusalAfterLookup(URI.create("https://public.example/hook")));
        Optional<String> mixed = targets.refusalAfterLookup(URI.create("https://mixed.example/hook"));
        assertTrue(mixed.orElseThrow().contains("10.0.0.5"), mixed.toString());
        assertTrue(targets.refusalAfterLookup(URI.create("http://metadata.example/")).isPresent());
        assertTrue(targets.refusalAfterLookup(URI.create("https://v6local.example:8443/")).isPresent());
        assertThrows(UnknownHostException.class,
                () -> targets.refusalAfterLookup(URI.create("https://nowhere.example/")));
    }

    @Test
    void the_operator_can_allow_private_targets() throws Exception {
        WebhookTargets targets = new WebhookTargets(true, host -> List.of(InetAddress.getByName("127.0.0.1")));
        assertEquals(Optional.empty(), targets.refusalWithoutLookup(URI.create("http://127.0.0.1:9/x")));
        assertEquals(Optional.empty(), targets.refusalAfterLookup(URI.create("http://receiver.test:9/x")));
    }
}
