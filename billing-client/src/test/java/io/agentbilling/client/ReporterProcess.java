package io.agentbilling.client;

import io.agentbilling.client.service.ModelUsage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A platform service in a JVM of its own, for {@link ReporterKillNineTest}: reports model calls {@code k9-<i>} for i in
 * {@code [from, to)} through a {@link UsageReporter}, a chunk at a time, and prints after each chunk a line
 * {@code reported <n> sent <s> spooled <p>} (the events before {@code n} are spooled when it is printed). With
 * {@code from == to} it only sends what its spool holds. Ends with {@code done recovered=<r> sent=<s> replayed=<x>}.
 *
 * <p>Arguments: base URL, internal secret, spool directory, org id, member id, from, to, chunk, pause in ms.
 */
public final class ReporterProcess {
    private ReporterProcess() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String secret = args[1];
        Path spool = Path.of(args[2]);
        UUID org = UUID.fromString(args[3]);
        UUID member = UUID.fromString(args[4]);
        int from = Integer.parseInt(args[5]);
        int to = Integer.parseInt(args[6]);
        int chunk = Integer.parseInt(args[7]);
        long pauseMillis = Long.parseLong(args[8]);

        BillingServiceClient client = BillingServiceClient.create(base, secret);
        try (UsageReporter reporter = UsageReporter.builder(client, spool).maxBatchEvents(200).senders(1)
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(500)).build()) {
            System.out.println("started recovered=" + reporter.metrics().recovered());
            for (int i = from; i < to; i += chunk) {
                List<ModelUsage> events = new ArrayList<>();
                for (int n = i; n < Math.min(to, i + chunk); n++) {
                    events.add(ModelUsage.of(org, member, "gpt-5", 1_000, 100).withIdempotencyKey("k9-" + n));
                }
                reporter.reportAll(events);
                ReporterMetrics metrics = reporter.metrics();
                System.out.println("reported " + Math.min(to, i + chunk) + " sent " + metrics.sent() + " spooled "
                        + metrics.spoolEvents());
                Thread.sleep(pauseMillis);
            }
            boolean flushed = reporter.flush(Duration.ofMinutes(2));
            ReporterMetrics metrics = reporter.metrics();
            System.out.println("done flushed=" + flushed + " recovered=" + metrics.recovered() + " sent="
                    + metrics.sent() + " replayed=" + metrics.replayed() + " rejected=" + metrics.rejected()
                    + " corrupt=" + metrics.corruptBytesSkipped());
        }
        System.exit(0);
    }
}
