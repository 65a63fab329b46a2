package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.client.FaultProxy.Fault;
import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.client.service.Role;
import io.agentbilling.client.service.UsageEvent;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.faults.LedgerAudit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link UsageReporter} against the real server on a real PostgreSQL, with a {@link FaultProxy} between them where
 * a test needs failures: batching, flushing, per-event refusals isolated to the listener and the dead-letter file,
 * retries of everything that was not answered (each event settled exactly once, checked in the ledger), splitting a
 * batch refused as a whole, backpressure, and the spool carrying events over to the next reporter.
 */
class UsageReporterTest {
    private static final long CALL_MICROS = 225_000;
    private static final String BATCH = "usage-events:batch";

    private static TestApplication app;
    private static URI base;
    private static BillingServiceClient direct;

    @TempDir
    Path spool;

    @BeforeAll
    static void start() {
        app = new TestApplication();
        base = URI.create("http://127.0.0.1:" + app.app.port());
        direct = BillingServiceClient.create(base, TestApplication.INTERNAL_SECRET);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private record Org(UUID id, UUID member) {
        ModelUsage call(String key) {
            return ModelUsage.of(id, member, "gpt-5", 1_000, 100).withIdempotencyKey(key);
        }
    }

    private static Org newOrg() {
        UUID org = direct.createOrg(CreateOrg.of("Reporter org").withPlan("pro").withSignupGrantCents(0)).id();
        return new Org(org, direct.addMember(org, null, Role.MEMBER).id());
    }

    private static List<ModelUsage> calls(Org org, String prefix, int count) {
        List<ModelUsage> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(org.call(prefix + i));
        }
        return calls;
    }

    private static Map<String, Integer> entriesPerKey(Org org) {
        return new LedgerAudit(app.database).entriesPerKey(org.id());
    }

    /** Every key has exactly one ledger entry, and nothing else was written; the balance is their sum. */
    private static void assertSettledOnce(Org org, List<String> keys) {
        Map<String, Integer> entries = entriesPerKey(org);
        assertThat(entries).as("ledger entries per key").hasSize(keys.size());
        keys.forEach(key -> assertThat(entries.get(key)).as("entries of " + key).isEqualTo(1));
        assertThat(new LedgerAudit(app.database).balanceMicros(org.id())).isEqualTo(-CALL_MICROS * keys.size());
        assertThat(new LedgerAudit(app.database).problems()).isEmpty();
    }

    private static List<String> keysOf(List<? extends UsageEvent> events) {
        return events.stream().map(UsageEvent::idempotencyKey).toList();
    }

    /** The idempotency keys of the events of one batch request the proxy saw. */
    private static List<String> keysIn(FaultProxy.Seen request) {
        try {
            List<String> keys = new ArrayList<>();
            for (JsonNode event : ClientJson.MAPPER.readTree(request.body()).path("events")) {
                keys.add(event.path("idempotencyKey").asText());
            }
            return keys;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static BillingServiceClient through(FaultProxy proxy) {
        return BillingServiceClient.create(proxy.uri(), TestApplication.INTERNAL_SECRET);
    }

    @Test
    void reported_events_are_batched_settled_once_and_leave_the_spool() throws Exception {
        Org org = newOrg();
        List<ModelUsage> events = calls(org, "batched-", 2_500);
        try (FaultProxy proxy = new FaultProxy(base)) {
            try (UsageReporter reporter = UsageReporter.create(through(proxy), spool)) {
                for (int from = 0; from < 2_400; from += 300) {
                    assertThat(reporter.reportAll(events.subList(from, from + 300)))
                            .isEqualTo(keysOf(events.subList(from, from + 300)));
                }
                for (ModelUsage event : events.subList(2_400, 2_500)) {
                    assertThat(reporter.report(event)).isEqualTo(event.idempotencyKey());
                }
                assertThat(reporter.flush(Duration.ofSeconds(60))).isTrue();

                ReporterMetrics metrics = reporter.metrics();
                assertThat(metrics.reported()).isEqualTo(2_500);
                assertThat(metrics.sent()).isEqualTo(2_500);
                assertThat(metrics.rejected()).isZero();
                assertThat(metrics.queued()).isZero();
                assertThat(metrics.inFlight()).isZero();
                assertThat(metrics.spoolEvents()).isZero();
                assertThat(metrics.batches()).isGreaterThanOrEqualTo(3);
                // A busy server may answer a large batch 503 after its settlement timeout and commit it anyway:
                // the reporter sends it again and the server replays it. Only a retry may send an event twice.
                assertThat(metrics.replayed()).isLessThanOrEqualTo(metrics.retried());
                List<FaultProxy.Seen> requests = proxy.seen(BATCH);
                assertThat(requests).allSatisfy(r -> assertThat(keysIn(r)).hasSizeBetween(1, 1_000));
                List<String> sent = requests.stream().flatMap(r -> keysIn(r).stream()).toList();
                assertThat(new HashSet<>(sent)).containsExactlyInAnyOrderElementsOf(keysOf(events));
                assertThat(sent.size() - 2_500L).as("events sent again").isLessThanOrEqualTo(metrics.retried());
            }
        }
        assertSettledOnce(org, keysOf(events));
        try (UsageReporter reopened = UsageReporter.create(direct, spool)) {
            assertThat(reopened.metrics().recovered()).isZero();
        }
    }

    @Test
    void an_event_is_sent_once_its_flush_interval_has_passed_without_a_flush() throws Exception {
        Org org = newOrg();
        try (UsageReporter reporter = UsageReporter.builder(direct, spool).flushInterval(Duration.ofMillis(100))
                .build()) {
            reporter.report(org.call("lone"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reporter.metrics().sent() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(reporter.metrics().sent()).isEqualTo(1);
        }
        assertSettledOnce(org, List.of("lone"));
    }

    @Test
    void refused_events_go_to_the_listener_and_the_dead_letter_file_and_are_never_sent_again() throws Exception {
        Org org = newOrg();
        direct.settleModelUsage(org.call("already-used"));
        List<UsageEvent> good = new ArrayList<>(calls(org, "good-", 3));
        ModelUsage unknownModel = ModelUsage.of(org.id(), org.member(), "no-such-model", 1, 1)
                .withIdempotencyKey("bad-model");
        ModelUsage unknownOrg = ModelUsage.of(UUID.randomUUID(), org.member(), "gpt-5", 1, 1)
                .withIdempotencyKey("bad-org");
        ModelUsage badField = ModelUsage.of(org.id(), org.member(), "gpt-5", -5, 1).withIdempotencyKey("bad-field");
        ModelUsage reusedKey = ModelUsage.of(org.id(), org.member(), "gpt-5", 7, 7)
                .withIdempotencyKey("already-used");
        List<UsageEvent> all = List.of(good.get(0), unknownModel, good.get(1), unknownOrg, badField, reusedKey,
                good.get(2));
        List<Rejection> heard = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = new FaultProxy(base)) {
            try (UsageReporter reporter = UsageReporter.builder(through(proxy), spool).onRejected(heard::add)
                    .build()) {
                reporter.reportAll(all);
                assertThat(reporter.flush(Duration.ofSeconds(30))).isTrue();
                assertThat(reporter.metrics().rejected()).isEqualTo(4);
                assertThat(reporter.metrics().sent()).isEqualTo(3);
                assertThat(reporter.metrics().spoolEvents()).isZero();
            }
            assertThat(proxy.seen(BATCH).stream().flatMap(r -> keysIn(r).stream()).toList())
                    .as("a refused event is sent once, never again").hasSize(all.size());
        }

        assertThat(heard).extracting(Rejection::idempotencyKey)
                .containsExactlyInAnyOrder("bad-model", "bad-org", "bad-field", "already-used");
        Map<String, Rejection> byKey = new java.util.HashMap<>();
        heard.forEach(r -> byKey.put(r.idempotencyKey(), r));
        assertThat(byKey.get("bad-model").status()).isEqualTo(422);
        assertThat(byKey.get("bad-model").code()).isEqualTo("unknown_model");
        assertThat(byKey.get("bad-model").event()).isEqualTo(unknownModel);
        assertThat(byKey.get("bad-org").status()).isEqualTo(404);
        assertThat(byKey.get("bad-field").status()).isEqualTo(400);
        assertThat(byKey.get("bad-field").details()).extracting(FieldIssue::field).contains("inputTokens");
        assertThat(byKey.get("already-used").code()).isEqualTo("idempotency_conflict");
        assertThat(byKey.get("already-used").event()).isEqualTo(reusedKey);

        List<String> lines = Files.readAllLines(spool.resolve(UsageReporter.DEAD_LETTER_FILE));
        assertThat(lines).hasSize(4);
        Set<String> deadKeys = new HashSet<>();
        for (String line : lines) {
            JsonNode dead = ClientJson.MAPPER.readTree(line);
            deadKeys.add(dead.path("idempotencyKey").asText());
            assertThat(dead.path("event").path("idempotencyKey").asText()).isEqualTo(dead.path("idempotencyKey")
                    .asText());
            assertThat(dead.path("event").path("type").asText()).isEqualTo("model");
            assertThat(dead.path("status").asInt()).isBetween(400, 499);
            assertThat(dead.path("code").asText()).isNotBlank();
            assertThat(dead.path("rejectedAt").asText()).isNotBlank();
        }
        assertThat(deadKeys).containsExactlyInAnyOrder("bad-model", "bad-org", "bad-field", "already-used");

        Map<String, Integer> entries = entriesPerKey(org);
        assertThat(entries).containsOnlyKeys("good-0", "good-1", "good-2", "already-used");
        assertThat(entries.values()).containsOnly(1);
        try (UsageReporter reopened = UsageReporter.create(direct, spool)) {
            assertThat(reopened.metrics().recovered()).as("refused events left the spool").isZero();
        }
    }

    @Test
    void transient_failures_are_retried_with_the_same_bytes_until_every_event_is_settled_once() throws Exception {
        Org org = newOrg();
        List<ModelUsage> events = calls(org, "flaky-", 200);
        try (FaultProxy proxy = new FaultProxy(base).scriptOnly(BATCH).retryAfterSeconds(1)) {
            proxy.script(Fault.RATE_LIMIT, Fault.UNAVAILABLE, Fault.DROP_BEFORE_FORWARD, Fault.DROP_AFTER_FORWARD,
                    Fault.INTERNAL_ERROR, Fault.UNAUTHORIZED, Fault.STALL);
            try (UsageReporter reporter = UsageReporter.builder(through(proxy), spool).maxBatchEvents(50).senders(1)
                    .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
                    .requestTimeout(Duration.ofSeconds(1)).build()) {
                reporter.reportAll(events);
                assertThat(reporter.flush(Duration.ofSeconds(60))).isTrue();
                ReporterMetrics metrics = reporter.metrics();
                assertThat(metrics.sent()).isEqualTo(200);
                assertThat(metrics.replayed()).as("the batch whose answer was lost came back as replays")
                        .isGreaterThanOrEqualTo(50);
                assertThat(metrics.retried()).isGreaterThanOrEqualTo(7 * 50);
                assertThat(metrics.rejected()).isZero();
                assertThat(metrics.lastError()).isNull();
            }
            List<FaultProxy.Seen> requests = proxy.seen(BATCH);
            List<FaultProxy.Seen> firstBatch = requests.subList(0, 8);
            assertThat(firstBatch).extracting(FaultProxy.Seen::bodyText).as("every attempt sends the same bytes")
                    .containsOnly(firstBatch.get(0).bodyText());
            assertThat(Duration.ofNanos(requests.get(1).atNanos() - requests.get(0).atNanos()))
                    .as("the retry after the 429 waited its Retry-After").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertSettledOnce(org, keysOf(events));
    }

    @Test
    void a_batch_refused_as_a_whole_is_split_down_to_the_event_at_fault() throws Exception {
        Org org = newOrg();
        List<ModelUsage> events = calls(org, "split-", 4);
        List<Rejection> heard = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = new FaultProxy(base).scriptOnly(BATCH)) {
            proxy.script(Fault.BAD_REQUEST, Fault.BAD_REQUEST, Fault.BAD_REQUEST);
            try (UsageReporter reporter = UsageReporter.builder(through(proxy), spool).maxBatchEvents(4).senders(1)
                    .onRejected(heard::add).build()) {
                reporter.reportAll(events);
                assertThat(reporter.flush(Duration.ofSeconds(30))).isTrue();
            }
            assertThat(proxy.seen(BATCH)).extracting(r -> keysIn(r).size()).containsExactly(4, 2, 1, 1, 2);
        }
        assertThat(heard).singleElement().satisfies(r -> {
            assertThat(r.idempotencyKey()).isEqualTo("split-0");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("bad_request");
        });
        Map<String, Integer> entries = entriesPerKey(org);
        assertThat(entries).containsOnlyKeys("split-1", "split-2", "split-3");
    }

    @Test
    void while_the_server_is_away_report_waits_then_refuses_and_the_next_reporter_sends_the_spool()
            throws Exception {
        Org org = newOrg();
        List<ModelUsage> events = calls(org, "away-", 5);
        BillingServiceClient nowhere = BillingServiceClient.create(URI.create("http://127.0.0.1:" + freePort()),
                TestApplication.INTERNAL_SECRET);
        try (UsageReporter reporter = UsageReporter.builder(nowhere, spool).backpressure(5, Duration.ofMillis(300))
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).closeTimeout(Duration.ofMillis(300))
                .build()) {
            reporter.reportAll(events);
            long start = System.nanoTime();
            assertThatThrownBy(() -> reporter.report(org.call("one-too-many")))
                    .isInstanceOf(SpoolFullException.class).hasMessageContaining("5 usage events");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(reporter.flush(Duration.ofMillis(200))).isFalse();
            ReporterMetrics metrics = reporter.metrics();
            assertThat(metrics.spoolEvents()).isEqualTo(5);
            assertThat(metrics.retried()).isPositive();
            assertThat(metrics.lastError()).isNotNull();
            assertThat(metrics.spoolBytes()).isPositive();
        }
        try (UsageReporter impatient = UsageReporter.builder(nowhere, spool).backpressure(5, Duration.ZERO)
                .closeTimeout(Duration.ofMillis(100)).build()) {
            assertThat(impatient.metrics().recovered()).isEqualTo(5);
            assertThatThrownBy(() -> impatient.report(org.call("one-too-many")))
                    .isInstanceOf(SpoolFullException.class);
        }
        try (UsageReporter next = UsageReporter.create(direct, spool)) {
            assertThat(next.metrics().recovered()).isEqualTo(5);
            assertThat(next.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(next.metrics().sent()).isEqualTo(5);
        }
        assertSettledOnce(org, keysOf(events));
        assertThatThrownBy(() -> {
            UsageReporter closed = UsageReporter.create(direct, spool);
            closed.close();
            closed.report(org.call("late"));
        }).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void only_one_reporter_may_hold_a_spool_directory() {
        try (UsageReporter first = UsageReporter.create(direct, spool)) {
            assertThatThrownBy(() -> UsageReporter.create(direct, spool)).isInstanceOf(IllegalStateException.class);
            assertThat(first.metrics().spoolEvents()).isZero();
        }
    }

    @Test
    void close_sends_what_is_still_waiting_for_its_batch_to_fill() {
        Org org = newOrg();
        List<ModelUsage> events = calls(org, "closing-", 100);
        try (UsageReporter reporter = UsageReporter.builder(direct, spool).flushInterval(Duration.ofMinutes(10))
                .build()) {
            reporter.reportAll(events);
        }
        assertSettledOnce(org, keysOf(events));
    }

    @Test
    void concurrent_reporters_with_each_fsync_policy_and_compaction_settle_every_event_once() throws Exception {
        for (FsyncPolicy policy : List.of(FsyncPolicy.always(), FsyncPolicy.interval(Duration.ofMillis(20)),
                FsyncPolicy.never())) {
            Org org = newOrg();
            Path directory = spool.resolve(policy.kind().name());
            List<String> keys = new CopyOnWriteArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try (UsageReporter reporter = UsageReporter.builder(direct, directory).fsync(policy)
                    .compactAtBytes(64 * 1024).build()) {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    work.add(threads.submit(() -> {
                        for (int i = 0; i < 250; i++) {
                            keys.add(reporter.report(org.call(policy.kind() + "-" + thread + "-" + i)));
                        }
                        return null;
                    }));
                }
                for (Future<?> future : work) {
                    future.get();
                }
                assertThat(reporter.flush(Duration.ofSeconds(60))).isTrue();
                assertThat(reporter.metrics().sent()).isEqualTo(2_000);
                assertThat(reporter.metrics().spoolBytes()).as("compacted once settled").isLessThan(64 * 1024);
            } finally {
                threads.shutdownNow();
            }
            assertSettledOnce(org, keys);
        }
    }

    @Test
    void events_without_a_key_get_one_before_they_are_spooled() {
        Org org = newOrg();
        String key;
        try (UsageReporter reporter = UsageReporter.create(direct, spool)) {
            key = reporter.report(ModelUsage.of(org.id(), org.member(), "gpt-5", 1_000, 100));
            assertThat(key).isNotBlank();
            assertThat(reporter.flush(Duration.ofSeconds(30))).isTrue();
        }
        assertSettledOnce(org, List.of(key));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
