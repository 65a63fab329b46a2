package io.agentbilling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Creates the orgs, members and API keys through the server's internal API (API.md Part B), as an operator
 * would: {@code POST /v1/internal/orgs}, {@code …/members}, {@code …/api-keys}. Runs a few connections in parallel.
 */
final class Setup {
    private static final int PARALLEL = 8;
    private final Target target;
    private final String runId;

    Setup(Target target, String runId) {
        this.target = target;
        this.runId = runId;
    }

    /** @param readers how many of the many orgs get an API key for their member (public reads) */
    Fixture create(int manyOrgs, int usageMembers, int readers) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<List<Fixture.Org>>> parts = new ArrayList<>();
            for (int p = 0; p < PARALLEL; p++) {
                int part = p;
                parts.add(pool.submit(() -> {
                    List<Fixture.Org> orgs = new ArrayList<>();
                    try (HttpConnection connection = target.connect()) {
                        for (int i = part; i < manyOrgs; i += PARALLEL) {
                            orgs.add(org(connection, "many-" + i, "member"));
                        }
                    }
                    return orgs;
                }));
            }
            List<Fixture.Org> many = new ArrayList<>();
            for (Future<List<Fixture.Org>> part : parts) {
                many.addAll(part.get());
            }
            try (HttpConnection connection = target.connect()) {
                Fixture.Org hot = org(connection, "hot", "member");
                Fixture.Org usage = org(connection, "usage", "admin");
                List<String> members = new ArrayList<>();
                members.add(usage.memberId());
                for (int i = 1; i < usageMembers; i++) {
                    members.add(member(connection, usage.orgId(), "usage-" + i, "member"));
                }
                String key = apiKey(connection, usage);
                List<Fixture.Reader> readerKeys = new ArrayList<>();
                for (Fixture.Org org : many.subList(0, Math.min(readers, many.size()))) {
                    readerKeys.add(new Fixture.Reader(org.orgId(), apiKey(connection, org)));
                }
                return new Fixture(many, hot, usage, members, key, readerKeys);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("setup through the API failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Fixture.Org org(HttpConnection connection, String name, String role) throws IOException {
        JsonNode org = post(connection, Api.ORGS, Api.createOrg("bench " + name, "setup-" + runId + "-" + name));
        String orgId = Api.id(org, "orgId");
        return new Fixture.Org(orgId, member(connection, orgId, name, role));
    }

    private String apiKey(HttpConnection connection, Fixture.Org org) throws IOException {
        return Api.plainKey(post(connection, Api.ORGS + "/" + org.orgId() + "/api-keys",
                Api.createApiKey(org.memberId())));
    }

    private String member(HttpConnection connection, String orgId, String name, String role) throws IOException {
        JsonNode member = post(connection, Api.ORGS + "/" + orgId + "/members",
                Api.addMember(name + "@bench.example.com", role));
        return Api.id(member, "memberId");
    }

    private JsonNode post(HttpConnection connection, String path, String json) throws IOException {
        HttpConnection.Response response = connection.send(target.postInternal(path, json));
        if (response.status() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.status() + ": "
                    + SettlementLoad.abbreviate(response.text()));
        }
        return Api.data(response);
    }
}
