package io.agentbilling.http.faults;

import static io.agentbilling.http.faults.FaultServers.modelUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The server stopped (as by SIGTERM) in the middle of a settlement load, then started again on the same database:
 * every settlement answered 2xx is on the ledger exactly once; every other answer is a 503 {@code unavailable} or no
 * answer at all (never a 500); a settlement the client was told failed is either absent or — when the commit raced the
 * answer — present once, and the client's retry with the same key settles or replays it, never twice.
 */
class GracefulShutdownUnderLoadTest {
    private static final TestClient HTTP = FaultServers.client();
    private static final String MODEL = "/v1/internal/billing/model-usage";

    @Test
    void stopping_under_load_finishes_or_refuses_each_settlement_and_acknowledges_only_what_landed() throws Exception {
        DatabaseConfig database = TestDatabases.freshDatabase("shutdown");
        BillingApplication first = FaultServers.start(database, Map.of());
        BillingApplication second = null;
        try {
            String base = FaultServers.base(first);
            FaultServers.Org org = FaultServers.createOrg(HTTP.at(base), "pro", 0);
            LoadRecord record = new LoadRecord();
            AtomicReference<String> target = new AtomicReference<>(base);
            Load load = Load.start("shutdown", 12, 100_000, Duration.ofSeconds(60), (thread, i) -> {
                String key = "m-" + thread + "-" + i;
                String body = modelUsage(org, key, i % 11);
                Answer answer = HTTP.at(target.get()).within(Duration.ofSeconds(30)).internalPost(MODEL, body);
                record.record(key, body, answer, "chargedMicros");
                if (answer.status() == 0) {
                    throw new Load.Stop(); // the server is gone: this client stops (and retries later)
                }
            });
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (record.acknowledged.size() < 300 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            long stopping = System.nanoTime();
            first.close(); // what the SIGTERM hook does: drain HTTP, drain the settlement queue, close the pool
            Duration stopTook = Duration.ofNanos(System.nanoTime() - stopping);
            Thread.sleep(200);
            load.stop();
            load.await(Duration.ofSeconds(30));

            List<Answer> odd = new ArrayList<>();
            for (LoadRecord.Keyed keyed : record.answers) {
                Answer a = keyed.answer();
                boolean expected = a.ok() || a.status() == 0 || a.status() == 503
                        && ("unavailable".equals(a.errorCode()) || "overloaded".equals(a.errorCode()));
                if (!expected) {
                    odd.add(a);
                }
            }
            assertThat(odd).as("answers while stopping").isEmpty();
            assertThat(stopTook).as("the stop").isLessThan(Duration.ofSeconds(15));

            LedgerAudit audit = new LedgerAudit(database);
            Map<String, Integer> perKey = audit.entriesPerKey(org.orgId());
            record.acknowledged.keySet().forEach(key ->
                    assertThat(perKey.get(key)).as("entries of acknowledged " + key).isEqualTo(1));
            perKey.values().forEach(count -> assertThat(count).isEqualTo(1));
            assertThat(audit.problems()).isEmpty();
            long landedUnacknowledged = record.unknown.stream().filter(perKey::containsKey).count();

            second = FaultServers.start(database, Map.of());
            String again = FaultServers.base(second);
            for (String key : List.copyOf(record.unknown)) {
                Answer retry = FaultServers.untilNot503(() -> HTTP.at(again).internalPost(MODEL,
                        record.sent.get(key)));
                assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
                assertThat(retry.replayed()).as("replayed " + key).isEqualTo(perKey.containsKey(key));
                record.record(key, record.sent.get(key), retry, "chargedMicros");
            }
            Map<String, Integer> after = audit.entriesPerKey(org.orgId());
            record.sent.keySet().forEach(key -> assertThat(after.get(key)).as("entries of " + key).isEqualTo(1));
            long charged = record.acknowledged.values().stream().mapToLong(Long::longValue).sum();
            assertThat(audit.balanceMicros(org.orgId())).isEqualTo(-charged);
            assertThat(audit.problems()).isEmpty();
            assertThat(second.billing().verifyLedger().execute().drifts()).isEmpty();
            System.out.println("graceful shutdown: stop took " + stopTook.toMillis() + " ms; " + record.sent.size()
                    + " keys, answers " + record.statusCounts() + ", " + landedUnacknowledged
                    + " landed though not acknowledged (replayed on retry)");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
            TestDatabases.dropDatabase(database);
        }
    }
}
