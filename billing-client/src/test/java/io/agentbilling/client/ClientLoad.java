package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.client.service.Charge;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.http.faults.LedgerAudit;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A platform service under load for the fault suites: threads that each settle model calls one after another through
 * a {@link BillingServiceClient} (keys {@code call-<thread>-<n>}) and report as many through a {@link UsageReporter}
 * (keys {@code event-<thread>-<n>}), until stopped. Records each call's answer, and every exception (there should be
 * none: the client's retries must ride through the fault).
 */
final class ClientLoad {
    final Map<String, Charge> answered = new ConcurrentHashMap<>();
    final List<String> reported = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger replays = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    ClientLoad(BillingServiceClient client, UsageReporter reporter, UUID org, UUID member, int threadCount) {
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (int n = 0; !stop.get(); n++) {
                    try {
                        String key = "call-" + thread + "-" + n;
                        Charge charge = client.settleModelUsage(ModelUsage.of(org, member, "gpt-5", 1_000, 100)
                                .withIdempotencyKey(key));
                        answered.put(key, charge);
                        if (charge.replayed()) {
                            replays.incrementAndGet();
                        }
                        reported.add(reporter.report(ModelUsage.of(org, member, "gpt-5", 1_000, 100)
                                .withIdempotencyKey("event-" + thread + "-" + n)));
                    } catch (RuntimeException e) {
                        failures.add(e);
                        return;
                    }
                }
            }, "client-load-" + t);
            threads.add(worker);
            worker.start();
        }
    }

    /** A service client that keeps retrying through an outage of up to two minutes, noting each retry. */
    static BillingServiceClient patientClient(URI base, String secret, List<RetryEvent> retries) {
        return BillingServiceClient.builder(base, secret)
                .retryPolicy(RetryPolicy.defaults().withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                        .withMaxElapsed(Duration.ofSeconds(120)).withMaxAttempts(1_000))
                .onRetry(retries::add).build();
    }

    /** A reporter that backs off at most a second between attempts. */
    static UsageReporter patientReporter(BillingServiceClient client, Path spool) {
        return UsageReporter.builder(client, spool).retryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).build();
    }

    /** Every call answered and every event reported is on the org's ledger exactly once, and nothing else. */
    void assertEachOnceOnTheLedger(DatabaseConfig database, UUID org) {
        List<String> keys = new ArrayList<>(answered.keySet());
        keys.addAll(reported);
        LedgerAudit audit = new LedgerAudit(database);
        Map<String, Integer> entries = audit.entriesPerKey(org);
        assertThat(entries).hasSize(keys.size());
        keys.forEach(key -> assertThat(entries.get(key)).as("entries of " + key).isEqualTo(1));
        assertThat(audit.balanceMicros(org)).isEqualTo(-225_000L * keys.size());
        assertThat(audit.problems()).isEmpty();
    }

    /** Waits until {@code count} more calls have been answered (or the time is up). */
    void awaitAnswers(int count, long timeoutSeconds) throws InterruptedException {
        int target = answered.size() + count;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (answered.size() < target && System.nanoTime() < deadline && failures.isEmpty()) {
            Thread.sleep(20);
        }
    }

    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
        }
    }
}
