package io.agentbilling.http.faults;

import static io.agentbilling.http.faults.FaultServers.modelUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the real server process in the middle of a settlement load, then a restart on the same database:
 * every settlement the server acknowledged before the kill is on the ledger exactly once; retrying every key sent
 * (acknowledged or not) replays or settles it, never twice; the ledger chains and sums and the verifier is clean.
 */
class KillNineTest {
    private static final TestClient HTTP = FaultServers.client();
    private static final String MODEL = "/v1/internal/billing/model-usage";

    @Test
    void a_killed_server_loses_no_acknowledged_settlement_and_doubles_none(@TempDir Path dir) throws Exception {
        killDuringLoad(dir, 1, 150);
    }

    @Test
    @Tag("long")
    void repeated_kills_under_heavier_load_lose_and_double_nothing(@TempDir Path dir) throws Exception {
        killDuringLoad(dir, 6, 1_000);
    }

    private static void killDuringLoad(Path dir, int kills, int acknowledgedBeforeKill) throws Exception {
        DatabaseConfig database = TestDatabases.freshDatabase("kill9");
        Map<String, String> env = FaultServers.environment(database).toMap();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path output = Files.createFile(dir.resolve("server.log"));
        ServerProcess server = ServerProcess.start(env, output);
        try {
            FaultServers.Org org = FaultServers.createOrg(HTTP.at(server.base()), "pro", 0);
            LoadRecord record = new LoadRecord();
            for (int round = 0; round < kills; round++) {
                int r = round;
                AtomicReference<String> base = new AtomicReference<>(server.base());
                int ackedBefore = record.acknowledged.size();
                Load load = Load.start("kill" + round, 8, 100_000, Duration.ofSeconds(60), (thread, i) -> {
                    String key = "m-" + r + "-" + thread + "-" + i;
                    String body = modelUsage(org, key, thread * 7 + i % 5);
                    Answer answer = HTTP.at(base.get()).within(Duration.ofSeconds(10)).internalPost(MODEL, body);
                    record.record(key, body, answer, "chargedMicros");
                    if (answer.status() == 0) {
                        throw new Load.Stop(); // the server is gone: this client stops (and retries later)
                    }
                });
                // Kill once enough settled, or after 15 s on a slow machine: mid-load either way.
                long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (record.acknowledged.size() - ackedBefore < acknowledgedBeforeKill && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
                server.kill(); // mid-load: the clients are still sending
                Thread.sleep(300);
                load.stop();
                load.await(Duration.ofSeconds(30));
                assertThat(record.acknowledged.size() - ackedBefore).as("settled before the kill")
                        .isGreaterThanOrEqualTo(Math.min(50, acknowledgedBeforeKill));

                // Before anyone retries: what was acknowledged survived the kill, once.
                LedgerAudit audit = new LedgerAudit(database);
                Map<String, Integer> perKey = audit.entriesPerKey(org.orgId());
                record.acknowledged.keySet().forEach(key ->
                        assertThat(perKey.get(key)).as("entries of acknowledged " + key).isEqualTo(1));
                assertThat(audit.problems()).isEmpty();

                server = ServerProcess.start(env, output);
            }
            String base = server.base();
            int unanswered = record.unknown.size();
            // The clients retry everything they sent, acknowledged or not, with the same payloads.
            for (Map.Entry<String, String> sent : record.sent.entrySet()) {
                Answer retry = FaultServers.untilNot503(() -> HTTP.at(base).internalPost(MODEL, sent.getValue()));
                assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
                Long acknowledged = record.acknowledged.get(sent.getKey());
                if (acknowledged != null) {
                    assertThat(retry.replayed()).as("replayed " + sent.getKey()).isTrue();
                    assertThat(retry.data().path("chargedMicros").asLong()).isEqualTo(acknowledged);
                }
                record.record(sent.getKey(), sent.getValue(), retry, "chargedMicros");
            }
            LedgerAudit audit = new LedgerAudit(database);
            Map<String, Integer> perKey = audit.entriesPerKey(org.orgId());
            record.sent.keySet().forEach(key -> assertThat(perKey.get(key)).as("entries of " + key).isEqualTo(1));
            assertThat(perKey).hasSize(record.sent.size());
            long charged = record.acknowledged.values().stream().mapToLong(Long::longValue).sum();
            assertThat(audit.balanceMicros(org.orgId())).isEqualTo(-charged);
            assertThat(audit.problems()).isEmpty();
            Answer verify = HTTP.at(base).internalGet("/v1/internal/ledger/verify");
            assertThat(verify.data().path("clean").asBoolean()).as(verify.body()).isTrue();
            System.out.println("kill -9: " + kills + " kill(s), " + record.sent.size() + " keys sent, "
                    + unanswered + " not acknowledged before a kill");
        } finally {
            server.close();
            TestDatabases.dropDatabase(database);
        }
    }
}
