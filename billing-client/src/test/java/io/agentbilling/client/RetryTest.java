package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.client.FaultProxy.Fault;
import io.agentbilling.client.billing.HistoryQuery;
import io.agentbilling.client.billing.Topup;
import io.agentbilling.client.billing.TopupRequest;
import io.agentbilling.client.service.BatchItem;
import io.agentbilling.client.service.Charge;
import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.Grant;
import io.agentbilling.client.service.Member;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.client.service.NewApiKey;
import io.agentbilling.client.service.Role;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.faults.LedgerAudit;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry policy of both clients, against the real server behind a {@link FaultProxy}: what is retried (connect
 * failures, timeouts, 503, 429 after its {@code Retry-After}) and what never is (any other status); the same key and
 * the same bytes on every attempt; an answer lost after the server settled comes back as a replay and the ledger has
 * one entry; calls without a key are retried only when the server cannot have processed them; the total time and the
 * attempts are bounded.
 */
class RetryTest {
    private static final String MODEL = "/v1/internal/billing/model-usage";
    private static final RetryPolicy FAST = RetryPolicy.defaults().withBackoff(Duration.ofMillis(10),
            Duration.ofMillis(200));

    private static TestApplication app;
    private static URI base;
    private static BillingServiceClient direct;

    private FaultProxy proxy;
    private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
    private UUID org;
    private UUID member;

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

    @BeforeEach
    void newOrgAndProxy() {
        proxy = new FaultProxy(base);
        org = direct.createOrg(CreateOrg.of("Retry org").withPlan("pro").withSignupGrantCents(0)).id();
        member = direct.addMember(org, null, Role.MEMBER).id();
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    private BillingServiceClient client(RetryPolicy policy) {
        return BillingServiceClient.builder(proxy.uri(), TestApplication.INTERNAL_SECRET).retryPolicy(policy)
                .onRetry(retries::add).build();
    }

    private ModelUsage call() {
        return ModelUsage.of(org, member, "gpt-5", 1_000, 100);
    }

    private static String keyInBody(FaultProxy.Seen request) {
        try {
            JsonNode body = ClientJson.MAPPER.readTree(request.body());
            return body.path("idempotencyKey").asText(null);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, Integer> entries() {
        return new LedgerAudit(app.database).entriesPerKey(org);
    }

    @Test
    void a_429_is_retried_after_its_retry_after_with_the_same_key_and_the_same_bytes() {
        proxy.scriptOnly(MODEL).retryAfterSeconds(1).script(Fault.RATE_LIMIT, Fault.RATE_LIMIT);

        Charge charge = client(FAST).settleModelUsage(call());

        assertThat(charge.replayed()).isFalse();
        List<FaultProxy.Seen> attempts = proxy.seen(MODEL);
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(FaultProxy.Seen::bodyText).containsOnly(attempts.get(0).bodyText());
        String key = keyInBody(attempts.get(0));
        assertThat(key).isNotBlank();
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.ofNanos(attempts.get(i).atNanos() - attempts.get(i - 1).atNanos()))
                    .as("waited at least Retry-After").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertThat(retries).hasSize(2).allSatisfy(retry -> {
            assertThat(retry.status()).isEqualTo(429);
            assertThat(retry.reason()).isEqualTo("rate_limited");
            assertThat(retry.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(retry.idempotencyKey()).isEqualTo(key);
            assertThat(retry.path()).isEqualTo(MODEL);
        });
        assertThat(entries()).containsOnlyKeys(key).containsEntry(key, 1);
    }

    @Test
    void a_503_and_connections_dropped_before_the_server_are_retried() {
        proxy.scriptOnly(MODEL).script(Fault.UNAVAILABLE, Fault.DROP_BEFORE_FORWARD);

        Charge charge = client(FAST).settleModelUsage(call().withIdempotencyKey("503-then-drop"));

        assertThat(charge.replayed()).as("neither failed attempt reached the server").isFalse();
        assertThat(proxy.seen(MODEL)).hasSize(3);
        assertThat(retries).extracting(RetryEvent::status).containsExactly(503, 0);
        assertThat(entries()).containsEntry("503-then-drop", 1);
    }

    @Test
    void an_answer_lost_after_the_server_settled_comes_back_as_a_replay_and_is_charged_once() {
        proxy.scriptOnly(MODEL).script(Fault.DROP_AFTER_FORWARD);

        Charge charge = client(FAST).settleModelUsage(call());

        assertThat(charge.replayed()).isTrue();
        assertThat(charge.chargedMicros()).isEqualTo(225_000);
        String key = keyInBody(proxy.seen(MODEL).get(0));
        assertThat(proxy.seen(MODEL)).extracting(RetryTest::keyInBody).containsExactly(key, key);
        assertThat(entries()).containsOnlyKeys(key).containsEntry(key, 1);
        assertThat(new LedgerAudit(app.database).balanceMicros(org)).isEqualTo(-225_000);
    }

    @Test
    void a_lost_batch_answer_is_retried_and_every_event_replays() {
        proxy.scriptOnly("usage-events:batch").script(Fault.DROP_AFTER_FORWARD);

        List<BatchItem> items = client(FAST).settleBatch(List.of(call(), call(), call()));

        assertThat(items).allSatisfy(item -> assertThat(item.result().replayed()).isTrue());
        assertThat(entries()).hasSize(3).allSatisfy((key, count) -> assertThat(count).isEqualTo(1));
    }

    @Test
    void an_attempt_that_times_out_is_retried() {
        proxy.scriptOnly(MODEL).script(Fault.STALL);

        Charge charge = client(FAST.withAttemptTimeout(Duration.ofMillis(500))).settleModelUsage(call());

        assertThat(charge.replayed()).isFalse();
        assertThat(retries).singleElement().satisfies(retry -> {
            assertThat(retry.status()).isZero();
            assertThat(retry.reason()).contains("Timeout");
        });
    }

    @Test
    void no_other_status_is_retried() {
        proxy.scriptOnly(MODEL).script(Fault.INTERNAL_ERROR, Fault.UNAUTHORIZED);
        BillingServiceClient client = client(FAST);

        assertThatThrownBy(() -> client.settleModelUsage(call().withIdempotencyKey("500")))
                .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.attempts()).isEqualTo(1);
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertThat(e.idempotencyKey()).isEqualTo("500");
                });
        assertThatThrownBy(() -> client.settleModelUsage(call())).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> client.settleModelUsage(ModelUsage.of(org, member, "gpt-5", -1, 1)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.attempts()).isEqualTo(1));
        assertThatThrownBy(() -> client.settleModelUsage(ModelUsage.of(org, member, "nope", 1, 1)))
                .isInstanceOf(UnprocessableException.class);
        assertThat(proxy.seen(MODEL)).hasSize(4);
        assertThat(retries).isEmpty();
    }

    @Test
    void attempts_and_total_time_are_bounded_and_the_failure_names_the_key_to_retry_with() {
        Fault[] outage = new Fault[200];
        java.util.Arrays.fill(outage, Fault.UNAVAILABLE);
        proxy.scriptOnly(MODEL).script(outage);

        assertThatThrownBy(() -> client(FAST.withMaxAttempts(3)).settleModelUsage(call().withIdempotencyKey("k-3")))
                .isInstanceOfSatisfying(ServiceUnavailableException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(3);
                    assertThat(e.idempotencyKey()).isEqualTo("k-3");
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
                });
        assertThat(proxy.seen(MODEL)).hasSize(3);

        RetryPolicy twoSeconds = new RetryPolicy(1_000, Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofSeconds(2), Duration.ofSeconds(1));
        long start = System.nanoTime();
        assertThatThrownBy(() -> client(twoSeconds).settleModelUsage(call()))
                .isInstanceOfSatisfying(ServiceUnavailableException.class,
                        e -> assertThat(e.attempts()).as("Retry-After: 1 within 2 s").isBetween(1, 3));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        proxy.clearScript().retryAfterSeconds(30).script(Fault.RATE_LIMIT);
        retries.clear();
        assertThatThrownBy(() -> client(twoSeconds).settleModelUsage(call()))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(e.attempts()).as("a wait past the bound is not started").isEqualTo(1);
                    assertThat(e.outcomeUnknown()).isFalse();
                });
        assertThat(entries()).isEmpty();
    }

    @Test
    void a_429_that_is_not_retried_is_a_typed_rate_limited_exception_with_its_request_id() {
        proxy.scriptOnly(MODEL).retryAfterSeconds(30).script(Fault.RATE_LIMIT);
        assertThatThrownBy(() -> client(FAST.withMaxAttempts(1)).settleModelUsage(call()))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.code()).isEqualTo("rate_limited");
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.requestId()).startsWith("req_proxy");
                });
    }

    @Test
    void calls_without_a_key_are_retried_only_when_the_server_cannot_have_processed_them() throws IOException {
        String keys = "/api-keys";
        proxy.scriptOnly(keys).script(Fault.DROP_AFTER_FORWARD, Fault.UNAVAILABLE, Fault.RATE_LIMIT);
        BillingServiceClient client = client(FAST);

        assertThatThrownBy(() -> client.createApiKey(org, NewApiKey.of(member, "lost")))
                .isInstanceOfSatisfying(BillingTransportException.class, e -> {
                    assertThat(e.attempts()).as("the key may exist: not sent again").isEqualTo(1);
                    assertThat(e.status()).isZero();
                    assertThat(e.code()).isEqualTo("transport_error");
                });
        assertThatThrownBy(() -> client.createApiKey(org, NewApiKey.of(member, "busy")))
                .isInstanceOfSatisfying(ServiceUnavailableException.class, e -> assertThat(e.attempts()).isEqualTo(1));
        assertThat(client.createApiKey(org, NewApiKey.of(member, "limited")).name())
                .as("a 429 was refused unprocessed: retried").isEqualTo("limited");
        assertThat(proxy.seen(keys)).hasSize(4);

        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        BillingServiceClient nowhere = BillingServiceClient.builder(URI.create("http://127.0.0.1:" + closed),
                "secret").retryPolicy(FAST.withMaxAttempts(3)).build();
        assertThatThrownBy(() -> nowhere.createApiKey(org, NewApiKey.of(member, "nowhere")))
                .isInstanceOfSatisfying(BillingTransportException.class, e ->
                        assertThat(e.attempts()).as("a refused connection never reached a server").isEqualTo(3));
    }

    @Test
    void adding_a_member_is_retried_with_its_key_and_adds_one_member() {
        String members = "/members";
        proxy.scriptOnly(members).script(Fault.DROP_AFTER_FORWARD, Fault.UNAVAILABLE);
        BillingServiceClient client = client(FAST);

        Member added = client.addMember(org, "dropped@example.com", Role.MEMBER, "member-dropped");

        assertThat(added.replayed()).as("the first attempt added it; the retry found it").isTrue();
        assertThat(proxy.seen(members)).hasSize(3)
                .allSatisfy(request -> assertThat(request.bodyText()).contains("\"idempotencyKey\":\"member-dropped\""));
        Member again = client.addMember(org, "dropped@example.com", Role.MEMBER, "member-dropped");
        assertThat(again.id()).isEqualTo(added.id());
        assertThatThrownBy(() -> client.addMember(org, "other@example.com", Role.MEMBER, "member-dropped"))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.code()).isEqualTo("idempotency_conflict"));
    }

    @Test
    void a_retried_top_up_sends_the_same_key_header_and_returns_the_same_session() {
        TestOrg owner = app.newOrg("free");
        proxy.scriptOnly("/v1/billing/topup").script(Fault.DROP_AFTER_FORWARD);
        BillingClient admin = BillingClient.builder(proxy.uri(), owner.adminKey()).retryPolicy(FAST)
                .onRetry(retries::add).build();

        Topup topup = admin.topup(TopupRequest.of(2_500));

        assertThat(topup.replayed()).isTrue();
        List<FaultProxy.Seen> attempts = proxy.seen("/v1/billing/topup");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).idempotencyKeyHeader()).isNotBlank()
                .isEqualTo(attempts.get(1).idempotencyKeyHeader());
        assertThat(attempts.get(0).bodyText()).doesNotContain("idempotencyKey");
        assertThat(retries).singleElement().satisfies(retry ->
                assertThat(retry.idempotencyKey()).isEqualTo(attempts.get(0).idempotencyKeyHeader()));
    }

    @Test
    void reads_are_retried_and_the_history_is_fetched_one_page_at_a_time() {
        TestOrg owner = app.newOrg("free");
        for (int i = 0; i < 6; i++) {
            direct.grantCredit(owner.orgId().value(), Grant.of(10));
        }
        proxy.scriptOnly("/v1/billing/credits").script(Fault.UNAVAILABLE, Fault.DROP_BEFORE_FORWARD);
        BillingClient member = BillingClient.builder(proxy.uri(), owner.memberKey()).retryPolicy(FAST).build();

        assertThat(member.credits().balanceCents()).isEqualTo(560);
        assertThat(member.creditHistory(HistoryQuery.all().withPageSize(2)).limit(3).toList()).hasSize(3);
        assertThat(proxy.seen("/v1/billing/credits/history")).as("two pages of two for three entries").hasSize(2);
        assertThat(member.creditHistory(HistoryQuery.all().withPageSize(2)).count()).isEqualTo(7);
        assertThat(proxy.seen("/v1/billing/credits/history")).hasSize(2 + 4);
    }

    @Test
    void retry_after_is_read_as_seconds_or_a_date_and_the_backoff_grows_with_jitter() {
        assertThat(Transport.retryAfter("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Transport.retryAfter(" 0 ")).isEqualTo(Duration.ZERO);
        assertThat(Transport.retryAfter("soon")).isNull();
        assertThat(Transport.retryAfter(null)).isNull();
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)
                .plusSeconds(60));
        assertThat(Transport.retryAfter(inAMinute)).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(61));
        assertThat(Transport.retryAfter("Mon, 01 Jan 2001 00:00:00 GMT")).isEqualTo(Duration.ZERO);

        RetryPolicy policy = RetryPolicy.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int i = 0; i < 200; i++) {
            assertThat(policy.backoff(1, null)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(policy.backoff(3, null)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(policy.backoff(40, null)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(policy.backoff(1, Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        }
        assertThatThrownBy(() -> policy.withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
