package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.Role;
import io.agentbilling.http.faults.FaultServers;
import io.agentbilling.http.faults.ServerProcess;
import io.agentbilling.http.support.ServerEnvironment;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the real server process (a child JVM) while clients settle and report usage through it, then a
 * restart on the same port: no call fails (each retried until the server is back, with its key), the reporter holds
 * its events through the outage, and every call and every event is on the ledger exactly once.
 */
class ServerRestartTest {

    @Test
    void calls_and_reported_events_ride_through_a_killed_and_restarted_server(@TempDir Path dir) throws Exception {
        DatabaseConfig database = TestDatabases.freshDatabase("client_restart");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = FaultServers.environment(database)
                .with(ServerConfig.PORT, Integer.toString(port)).toMap();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path log = Files.createFile(dir.resolve("server.log"));
        ServerProcess server = ServerProcess.start(env, log);
        List<RetryEvent> retries = new CopyOnWriteArrayList<>();
        try {
            BillingServiceClient client = ClientLoad.patientClient(URI.create(server.base()),
                    ServerEnvironment.INTERNAL_SECRET, retries);
            UUID org = client.createOrg(CreateOrg.of("Restart org").withPlan("pro").withSignupGrantCents(0)).id();
            UUID member = client.addMember(org, null, Role.MEMBER).id();
            ClientLoad load;
            try (UsageReporter reporter = ClientLoad.patientReporter(client, dir.resolve("spool"))) {
                load = new ClientLoad(client, reporter, org, member, 4);
                load.awaitAnswers(200, 60);
                server.kill();
                int answeredAtKill = load.answered.size();
                Thread.sleep(1_500);
                server = ServerProcess.start(env, log);
                load.awaitAnswers(200, 120);
                load.stop();
                assertThat(load.failures).as("calls that failed instead of riding through").isEmpty();
                assertThat(load.answered.size()).isGreaterThan(answeredAtKill);
                assertThat(reporter.flush(Duration.ofSeconds(60))).isTrue();
                ReporterMetrics metrics = reporter.metrics();
                System.out.println("server kill -9 and restart: " + load.answered.size() + " calls answered ("
                        + load.replays.get() + " as replays of an attempt that had landed), " + retries.size()
                        + " retries; reporter " + metrics);
                assertThat(metrics.sent()).isEqualTo(load.reported.size());
                assertThat(metrics.rejected()).isZero();
            }
            assertThat(retries).as("the outage was met and retried").isNotEmpty();

            load.assertEachOnceOnTheLedger(database, org);
        } finally {
            server.close();
            TestDatabases.dropDatabase(database);
        }
    }
}
