package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.Role;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.faults.LedgerAudit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a platform service's JVM while its {@link UsageReporter} holds thousands of spooled events and
 * has a batch in flight; a new JVM on the same spool directory sends what was left. Every event whose
 * {@code reportAll} had returned before the kill is on the ledger exactly once, no event is on it twice, and nothing
 * is on it that was never reported. The server is the real one on PostgreSQL; a proxy slows each batch request down so
 * that the spool is well ahead of the server when the kill comes.
 */
class ReporterKillNineTest {
    private static final Pattern PROGRESS = Pattern.compile("reported (\\d+) sent (\\d+) spooled (\\d+)");
    private static final Pattern DONE = Pattern.compile("done flushed=(\\w+) recovered=(\\d+) sent=(\\d+) "
            + "replayed=(\\d+) rejected=(\\d+) corrupt=(\\d+)");
    private static final int EVENTS = 20_000;
    private static final int CHUNK = 250;
    private static final long CALL_MICROS = 225_000;

    @Test
    void a_killed_reporter_loses_no_spooled_event_and_doubles_none(@TempDir Path dir) throws Exception {
        try (TestApplication app = new TestApplication();
             FaultProxy slow = new FaultProxy(URI.create("http://127.0.0.1:" + app.app.port()))
                     .delay(Duration.ofMillis(100))) {
            BillingServiceClient direct = BillingServiceClient.create(URI.create("http://127.0.0.1:"
                    + app.app.port()), TestApplication.INTERNAL_SECRET);
            UUID org = direct.createOrg(CreateOrg.of("Killed reporter").withPlan("pro").withSignupGrantCents(0)).id();
            UUID member = direct.addMember(org, null, Role.MEMBER).id();
            Path spool = dir.resolve("spool");

            Child first = Child.start(dir, "first", slow.uri(), spool, org, member, 0, EVENTS, CHUNK, 50);
            // Mid-stream: batches have been settled, thousands of events wait in the spool, more are being reported.
            Matcher atKill = first.awaitProgress(m -> Integer.parseInt(m.group(1)) >= 4_000
                    && Long.parseLong(m.group(2)) >= 200 && Long.parseLong(m.group(3)) >= 2_000, Duration.ofMinutes(2));
            first.kill();
            int reportedBeforeKill = first.highestReported();
            int settledAtKill = new LedgerAudit(app.database).entriesPerKey(org).size();
            System.out.println("kill -9 of the reporter JVM after '" + atKill.group() + "'; " + reportedBeforeKill
                    + " reported before the kill, " + settledAtKill + " on the ledger");
            assertThat(reportedBeforeKill).isLessThan(EVENTS);
            assertThat(settledAtKill).as("thousands of events were still only in the spool")
                    .isLessThanOrEqualTo(reportedBeforeKill - 1_000);

            Child second = Child.start(dir, "second", URI.create("http://127.0.0.1:" + app.app.port()), spool, org,
                    member, 0, 0, CHUNK, 0);
            Matcher done = second.awaitDone(Duration.ofMinutes(3));
            assertThat(second.exitCode()).isZero();
            assertThat(done.group(1)).isEqualTo("true");
            long recovered = Long.parseLong(done.group(2));
            System.out.println("restarted reporter: " + done.group());
            assertThat(recovered).as("the spool handed the unsettled events over").isGreaterThanOrEqualTo(1_000);
            assertThat(Long.parseLong(done.group(5))).as("rejected").isZero();

            Map<String, Integer> entries = new LedgerAudit(app.database).entriesPerKey(org);
            for (int i = 0; i < reportedBeforeKill; i++) {
                assertThat(entries.get("k9-" + i)).as("entries of k9-" + i + ", reported before the kill")
                        .isEqualTo(1);
            }
            assertThat(entries.values()).as("no event settled twice").containsOnly(1);
            for (String key : entries.keySet()) {
                int n = Integer.parseInt(key.substring(3));
                assertThat(n).as("only events whose report had started are on the ledger")
                        .isLessThan(reportedBeforeKill + CHUNK);
            }
            LedgerAudit audit = new LedgerAudit(app.database);
            assertThat(audit.balanceMicros(org)).isEqualTo(-CALL_MICROS * entries.size());
            assertThat(audit.problems()).isEmpty();
            assertThat(direct.verifyLedger().clean()).isTrue();
        }
    }

    /** A {@link ReporterProcess} JVM; its standard output read line by line, its standard error in a file. */
    private static final class Child {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();
        private final Path errors;

        private Child(Process process, Path errors) {
            this.process = process;
            this.errors = errors;
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
                lines.add("<eof>");
            }, "reporter-child-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path dir, String name, URI base, Path spool, UUID org, UUID member, int from, int to,
                           int chunk, long pauseMillis) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path errors = dir.resolve(name + ".err");
            Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), ReporterProcess.class.getName(), base.toString(),
                    TestApplication.INTERNAL_SECRET, spool.toString(), org.toString(), member.toString(),
                    Integer.toString(from), Integer.toString(to), Integer.toString(chunk),
                    Long.toString(pauseMillis)))
                    .redirectError(errors.toFile()).start();
            return new Child(process, errors);
        }

        /** The first progress line {@code when} accepts. */
        Matcher awaitProgress(java.util.function.Predicate<Matcher> when, Duration timeout) throws Exception {
            return await(PROGRESS, when, true, timeout, "the reporter never got far enough ahead of the server");
        }

        /** Its closing line. */
        Matcher awaitDone(Duration timeout) throws Exception {
            return await(DONE, m -> true, false, timeout, "the reporter did not finish");
        }

        private Matcher await(Pattern pattern, java.util.function.Predicate<Matcher> when, boolean stopAtDone,
                              Duration timeout, String failure) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                seen.add(line);
                Matcher matcher = pattern.matcher(line);
                if (matcher.matches() && when.test(matcher)) {
                    return matcher;
                }
                if (line.equals("<eof>") || stopAtDone && line.startsWith("done")) {
                    break;
                }
            }
            throw new AssertionError(failure + ": " + tail());
        }

        /** SIGKILL: no shutdown hook, no close, no flush. */
        void kill() throws Exception {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String line;
            while (!"<eof>".equals(line = lines.poll(10, TimeUnit.SECONDS)) && line != null) {
                seen.add(line); // printed before it died
            }
        }

        /** The highest n of the progress lines: every event below it had been spooled. */
        int highestReported() {
            int highest = 0;
            for (String line : seen) {
                Matcher progress = PROGRESS.matcher(line);
                if (progress.matches()) {
                    highest = Math.max(highest, Integer.parseInt(progress.group(1)));
                }
            }
            return highest;
        }

        int exitCode() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return process.exitValue();
        }

        private String tail() {
            String err;
            try {
                err = Files.exists(errors) ? Files.readString(errors) : "";
            } catch (IOException e) {
                err = e.toString();
            }
            List<String> last = seen.subList(Math.max(0, seen.size() - 10), seen.size());
            return "last output " + last + "; stderr: " + (err.length() > 3_000 ? err.substring(err.length() - 3_000)
                    : err);
        }
    }
}
