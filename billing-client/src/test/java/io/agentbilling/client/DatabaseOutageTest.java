package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.Role;
import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import io.agentbilling.http.faults.FaultServers;
import io.agentbilling.http.support.ServerEnvironment;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped for seconds under the server while clients settle and report usage, then started again: the
 * server answers 503 meanwhile, the clients retry (waiting its {@code Retry-After}) until it settles again, no call
 * fails, and every call and event is on the ledger exactly once.
 */
class DatabaseOutageTest {

    @Test
    void calls_and_reported_events_ride_through_a_database_outage(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        EmbeddedDatabase postgres = EmbeddedDatabase.start(data, 0);
        int databasePort = postgres.port();
        DatabaseConfig database = DatabaseConfig.of(postgres.jdbcUrl(), postgres.user(), postgres.password());
        BillingApplication app = FaultServers.start(database, Map.of());
        List<RetryEvent> retries = new CopyOnWriteArrayList<>();
        try {
            BillingServiceClient client = ClientLoad.patientClient(URI.create("http://127.0.0.1:" + app.port()),
                    ServerEnvironment.INTERNAL_SECRET, retries);
            UUID org = client.createOrg(CreateOrg.of("Outage org").withPlan("pro").withSignupGrantCents(0)).id();
            UUID member = client.addMember(org, null, Role.MEMBER).id();
            ClientLoad load;
            try (UsageReporter reporter = ClientLoad.patientReporter(client, dir.resolve("spool"))) {
                load = new ClientLoad(client, reporter, org, member, 4);
                load.awaitAnswers(100, 60);
                postgres.stop();
                Thread.sleep(3_000);
                postgres = EmbeddedDatabase.start(data, databasePort);
                load.awaitAnswers(200, 120);
                load.stop();
                assertThat(load.failures).as("calls that failed instead of riding through").isEmpty();
                assertThat(reporter.flush(Duration.ofSeconds(60))).isTrue();
                ReporterMetrics metrics = reporter.metrics();
                System.out.println("PostgreSQL outage: " + load.answered.size() + " calls answered ("
                        + load.replays.get() + " as replays), " + retries.size() + " retries ("
                        + retries.stream().filter(r -> r.status() == 503).count() + " after a 503); reporter "
                        + metrics);
                assertThat(metrics.sent()).isEqualTo(load.reported.size());
            }
            assertThat(retries).as("503s during the outage were retried").anySatisfy(retry -> {
                assertThat(retry.status()).isEqualTo(503);
                assertThat(retry.delay()).as("Retry-After: 1").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            });

            load.assertEachOnceOnTheLedger(database, org);
            assertThat(app.billing().verifyLedger().execute().drifts()).isEmpty();
        } finally {
            app.close();
            postgres.stop();
        }
    }
}
