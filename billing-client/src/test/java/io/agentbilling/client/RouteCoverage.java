package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every route the server describes in {@code /openapi.json} under a prefix was called by a client, judged by what a
 * pass-through {@link FaultProxy} saw. A route the server gains later, with no client call for it, fails the test that
 * asks, without anyone editing a list.
 */
final class RouteCoverage {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch");

    private RouteCoverage() {
    }

    static void assertEveryRouteCalled(URI server, String prefix, Set<String> notForClients, List<FaultProxy.Seen> seen)
            throws IOException, InterruptedException {
        String document = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve("/openapi.json"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode paths = ClientJson.MAPPER.readTree(document).path("paths");
        List<String> missing = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getKey().startsWith(prefix) || notForClients.contains(path.getKey())) {
                continue;
            }
            Pattern template = Pattern.compile(Pattern.quote(path.getKey()).replaceAll("\\{[^/}]+}",
                    "\\\\E[^/?]+\\\\Q") + "(\\?.*)?");
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                if (!METHODS.contains(method)) {
                    continue;
                }
                String upper = method.toUpperCase(Locale.ROOT);
                boolean called = seen.stream().anyMatch(s -> s.method().equals(upper)
                        && template.matcher(s.path()).matches());
                if (!called) {
                    missing.add(upper + " " + path.getKey());
                }
            }
        }
        assertThat(missing).as("routes of %s no client call reached", prefix).isEmpty();
    }
}
