package io.agentbilling.http.faults;

import static io.agentbilling.http.faults.FaultServers.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many client threads of randomly mixed operations against the real server over HTTP — settlements of every kind
 * (model, tool, storage, resource, deduction, batches of them), grants (some expiring within seconds, expired by the
 * expiry use case mid-run), adjustments, top-ups through the local checkout page, refunds (the core's payment-event
 * use case with {@code charge.refunded}, as the local gateway has no webhook), duplicate keys and keys reused with
 * another payload — recording every acknowledged operation. Then every ledger invariant of DESIGN.md is checked:
 * the sum identity, chaining, the totals identity, at most one entry per key, every acknowledged operation present
 * exactly once with the acknowledged amount, nothing written that was not acknowledged, conflicts write nothing, and
 * the verifier is clean.
 *
 * <p>The seed is printed; replay a failure with {@code -Dbilling.seed=<seed>} (thread interleaving still varies, the
 * operations each thread sends do not).
 */
class RandomizedOperationsTest {
    private static final TestClient HTTP = FaultServers.client();
    private static final String[] MODELS = {"gpt-5", "gpt-5-mini", "claude-sonnet-4-5", "gemini-2.5-flash"};

    @Test
    void mixed_operations_keep_every_ledger_invariant() throws Exception {
        run(8, 300);
    }

    @Test
    @Tag("long")
    void many_more_mixed_operations_keep_every_ledger_invariant() throws Exception {
        run(16, 2_500);
    }

    /** What the ledger must hold for one acknowledged key: one entry of this type and amount (none when 0). */
    private record Expected(String type, long amountMicros) {}

    /** An acknowledged operation a thread may send again (a duplicate) or reuse the key of (a conflict). */
    private record Sent(String path, String body, String key, String org, String changedBody) {}

    /** A credited top-up and how much of it was refunded so far (each thread refunds only its own). */
    private static final class Payment {
        final String org;
        final String paymentIntentId;
        final long creditedCents;
        long refundedCents;

        Payment(String org, String paymentIntentId, long creditedCents) {
            this.org = org;
            this.paymentIntentId = paymentIntentId;
            this.creditedCents = creditedCents;
        }
    }

    private static final class World {
        final BillingApplication app;
        final String base;
        final List<FaultServers.Org> orgs;
        final LedgerAudit audit;
        /** org|key → what it must have written. */
        final Map<String, Expected> expected = new ConcurrentHashMap<>();
        /** Entry ids of credited top-ups. */
        final Set<String> topupEntries = ConcurrentHashMap.newKeySet();
        final Map<String, Payment> payments = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        World(BillingApplication app, List<FaultServers.Org> orgs, LedgerAudit audit) {
            this.app = app;
            this.base = FaultServers.base(app);
            this.orgs = orgs;
            this.audit = audit;
        }

        void count(String kind) {
            counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static void run(int threads, int opsPerThread) throws Exception {
        long seed = Long.getLong("billing.seed", new SecureRandom().nextLong());
        System.out.println("RandomizedOperationsTest seed: " + seed + " (replay with -Dbilling.seed=" + seed + ")");
        DatabaseConfig database = TestDatabases.freshDatabase("randomized");
        BillingApplication app = FaultServers.start(database, Map.of());
        try {
            String base = FaultServers.base(app);
            List<FaultServers.Org> orgs = List.of(
                    FaultServers.createOrgWithAdmin(HTTP.at(base), "free", 500),
                    FaultServers.createOrgWithAdmin(HTTP.at(base), "pro", 0),
                    FaultServers.createOrgWithAdmin(HTTP.at(base), "team", 2_000));
            // Storage is reported for periods of the last two hours, which may not precede the org's creation.
            orgs.forEach(org -> io.agentbilling.http.support.TestApplication.backdate(database, org.orgId(),
                    Duration.ofDays(1)));
            World world = new World(app, orgs, new LedgerAudit(database));
            Load load = Load.start("random", threads, opsPerThread, Duration.ofMinutes(30), new Load.Step() {
                final Map<Integer, Random> randoms = new ConcurrentHashMap<>();
                final Map<Integer, List<Sent>> histories = new ConcurrentHashMap<>();
                final Map<Integer, List<Payment>> ownPayments = new ConcurrentHashMap<>();

                @Override
                public void run(int thread, int iteration) {
                    Random random = randoms.computeIfAbsent(thread, t -> new Random(seed * 31 + t));
                    List<Sent> history = histories.computeIfAbsent(thread, t -> new ArrayList<>());
                    List<Payment> paid = ownPayments.computeIfAbsent(thread, t -> new ArrayList<>());
                    step(world, random, thread + "-" + iteration, history, paid);
                }
            });
            load.await(Duration.ofMinutes(30));
            app.billing().expireGrants().execute(1_000);
            check(world);
            System.out.println("RandomizedOperationsTest seed " + seed + ": " + new java.util.TreeMap<>(world.counts));
        } finally {
            app.close();
            TestDatabases.dropDatabase(database);
        }
    }

    private static void step(World world, Random random, String id, List<Sent> history, List<Payment> paid) {
        FaultServers.Org org = world.orgs.get(random.nextInt(world.orgs.size()));
        int dice = random.nextInt(100);
        if (dice < 18) {
            settle(world, history, org, "/v1/internal/billing/model-usage", model(random, org, "m" + id), "model");
        } else if (dice < 26) {
            settle(world, history, org, "/v1/internal/billing/tool-executions", tool(random, org, "t" + id), "tool");
        } else if (dice < 32) {
            settle(world, history, org, "/v1/internal/billing/storage/usage", storage(random, org, "s" + id),
                    "storage");
        } else if (dice < 40) {
            settle(world, history, org, "/v1/internal/billing/resource-charges", resource(random, org, "r" + id),
                    "resource");
        } else if (dice < 48) {
            settle(world, history, org, "/v1/internal/billing/deductions", deduction(random, org, "d" + id),
                    "deduction");
        } else if (dice < 56) {
            batch(world, random, org, "b" + id);
        } else if (dice < 63) {
            credit(world, history, org, "grants", grant(random, org, "g" + id), "grant");
        } else if (dice < 69) {
            credit(world, history, org, "adjustments", adjustment(random, org, "a" + id), "adjustment");
        } else if (dice < 74) {
            topup(world, random, org, paid);
        } else if (dice < 78) {
            refund(world, random, paid, id);
        } else if (dice < 80) {
            redelivered(world, () -> world.app.billing().expireGrants().execute(100));
            world.count("expiry run");
        } else if (dice < 92) {
            duplicate(world, random, history);
        } else {
            conflict(world, random, history);
        }
    }

    // ---- the operations ----

    private static Keyed model(Random random, FaultServers.Org org, String key) {
        Map<String, Object> body = usageBase(org, key);
        body.put("model", MODELS[random.nextInt(MODELS.length)]);
        body.put("inputTokens", (long) random.nextInt(50_000));
        body.put("outputTokens", (long) random.nextInt(5_000));
        body.put("cachedInputTokens", (long) random.nextInt(1_000));
        body.put("byok", random.nextInt(10) == 0);
        return new Keyed(key, body, "outputTokens");
    }

    private static Keyed tool(Random random, FaultServers.Org org, String key) {
        Map<String, Object> body = usageBase(org, key);
        body.put("tool", random.nextBoolean() ? "web_search" : "shell");
        body.put("count", 1L + random.nextInt(3));
        return new Keyed(key, body, "count");
    }

    private static Keyed storage(Random random, FaultServers.Org org, String key) {
        Map<String, Object> body = usageBase(org, key);
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(random.nextInt(3_600));
        body.put("workspaceId", "ws-" + random.nextInt(3));
        body.put("byteSeconds", (long) random.nextInt(1 << 30) * 1_000);
        body.put("from", to.minusSeconds(3_600).toString());
        body.put("to", to.toString());
        return new Keyed(key, body, "byteSeconds");
    }

    private static Keyed resource(Random random, FaultServers.Org org, String key) {
        Map<String, Object> body = usageBase(org, key);
        body.put("resource", "code_exec");
        body.put("quantity", 1L + random.nextInt(300));
        body.put("unit", "seconds");
        if (random.nextInt(4) == 0) {
            body.put("amountCents", (long) random.nextInt(20));
        }
        return new Keyed(key, body, "quantity");
    }

    private static Keyed deduction(Random random, FaultServers.Org org, String key) {
        Map<String, Object> body = usageBase(org, key);
        body.put("amountCents", 1L + random.nextInt(50));
        body.put("resource", "voice");
        return new Keyed(key, body, "amountCents");
    }

    private static Keyed grant(Random random, FaultServers.Org org, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amountCents", 1L + random.nextInt(200));
        if (random.nextInt(3) == 0) {
            body.put("expiresAt", Instant.now().plusMillis(500 + random.nextInt(2_500)).toString());
        }
        body.put("idempotencyKey", key);
        return new Keyed(key, body, "amountCents");
    }

    private static Keyed adjustment(Random random, FaultServers.Org org, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        long cents = 1L + random.nextInt(100);
        body.put("amountCents", random.nextInt(3) == 0 ? -cents : cents);
        body.put("reason", "randomized correction");
        body.put("idempotencyKey", key);
        return new Keyed(key, body, "amountCents");
    }

    /** A request body with its key and the one field a conflicting reuse of the key changes. */
    private record Keyed(String key, Map<String, Object> body, String changeable) {
        String json() {
            return io.agentbilling.http.json.Json.write(body);
        }

        String changedJson() {
            Map<String, Object> changed = new LinkedHashMap<>(body);
            Object value = changed.get(changeable);
            // Another valid payload: one more (one less for -1, since an adjustment of 0 is a 400, not a conflict).
            changed.put(changeable, value instanceof Long number ? number + (number == -1 ? -1 : 1) : value);
            return io.agentbilling.http.json.Json.write(changed);
        }

        Map<String, Object> event(String type) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", type);
            event.putAll(body);
            return event;
        }
    }

    private static Map<String, Object> usageBase(FaultServers.Org org, String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orgId", org.orgId().toString());
        body.put("memberId", org.memberId().toString());
        body.put("idempotencyKey", key);
        return body;
    }

    private static void settle(World world, List<Sent> history, FaultServers.Org org, String path, Keyed request,
                               String kind) {
        Answer answer = post(world, path, request.json());
        assertThat(answer.status()).as(kind + " " + answer).isEqualTo(200);
        JsonNode data = answer.data();
        long charged = data.path("chargedMicros").asLong();
        world.expected.put(org.orgId() + "|" + request.key(), new Expected("usage", -charged));
        history.add(new Sent(path, request.json(), request.key(), org.orgId().toString(), request.changedJson()));
        world.count(kind);
    }

    private static void batch(World world, Random random, FaultServers.Org org, String id) {
        List<Map<String, Object>> events = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        int size = 1 + random.nextInt(12);
        for (int n = 0; n < size; n++) {
            String key = id + "-" + n;
            Keyed event = switch (random.nextInt(5)) {
                case 0 -> model(random, org, key);
                case 1 -> tool(random, org, key);
                case 2 -> storage(random, org, key);
                case 3 -> resource(random, org, key);
                default -> deduction(random, org, key);
            };
            String type = switch (event.changeable()) {
                case "outputTokens" -> "model";
                case "count" -> "tool";
                case "byteSeconds" -> "storage";
                case "quantity" -> "resource";
                default -> "deduction";
            };
            events.add(event.event(type));
            keys.add(key);
        }
        Answer answer = post(world, "/v1/internal/billing/usage-events:batch",
                io.agentbilling.http.json.Json.write(Map.of("events", events)));
        assertThat(answer.status()).as("batch " + answer).isEqualTo(200);
        JsonNode items = answer.data();
        assertThat(items.size()).isEqualTo(size);
        for (int n = 0; n < size; n++) {
            JsonNode item = items.get(n);
            assertThat(item.path("status").asInt()).as("batch event " + item).isEqualTo(200);
            world.expected.put(org.orgId() + "|" + keys.get(n),
                    new Expected("usage", -item.path("result").path("chargedMicros").asLong()));
        }
        world.count("batch");
    }

    private static void credit(World world, List<Sent> history, FaultServers.Org org, String what, Keyed request,
                               String type) {
        String path = "/v1/internal/orgs/" + org.orgId() + "/" + what;
        Answer answer = post(world, path, request.json());
        assertThat(answer.status()).as(type + " " + answer).isEqualTo(201);
        world.expected.put(org.orgId() + "|" + request.key(),
                new Expected(type, answer.data().path("amountMicros").asLong()));
        history.add(new Sent(path, request.json(), request.key(), org.orgId().toString(), request.changedJson()));
        world.count(type);
    }

    /** Admin starts a top-up, pays it on the local checkout page, and the success page verifies it. */
    private static void topup(World world, Random random, FaultServers.Org org, List<Payment> paid) {
        long cents = 500 + random.nextInt(1_500);
        String topupKey = "topup-" + java.util.UUID.randomUUID();
        Answer started = FaultServers.untilNot503(() -> HTTP.at(world.base).post("/v1/billing/topup",
                json("amountCents", cents), "X-API-Key", org.adminKey(), "Idempotency-Key", topupKey));
        String sessionId = started.data().path("sessionId").asText();
        Answer pay = HTTP.at(world.base).send("POST", "/checkout/" + sessionId + "/pay", null, null);
        assertThat(pay.status()).as("pay " + pay).isBetween(300, 399);
        Answer verified = FaultServers.untilNot503(() -> HTTP.at(world.base)
                .get("/v1/billing/success?session_id=" + sessionId, "X-API-Key", org.adminKey()));
        JsonNode data = verified.data();
        assertThat(data.path("credited").asBoolean()).as(verified.toString()).isTrue();
        world.topupEntries.add(data.path("entryId").asText());
        String intent = paymentIntentOf(world, sessionId);
        Payment payment = new Payment(org.orgId().toString(), intent, cents);
        paid.add(payment);
        world.payments.put(intent, payment);
        world.count("topup");
    }

    /** A (partial) refund of one of this thread's top-ups, as Stripe's charge.refunded would report it. */
    private static void refund(World world, Random random, List<Payment> paid, String id) {
        List<Payment> refundable = paid.stream().filter(p -> p.refundedCents < p.creditedCents).toList();
        if (refundable.isEmpty()) {
            return;
        }
        Payment payment = refundable.get(random.nextInt(refundable.size()));
        long cumulative = payment.refundedCents + 1 + random.nextInt((int) (payment.creditedCents
                - payment.refundedCents));
        PaymentEvent.ChargeRefunded event = new PaymentEvent.ChargeRefunded("evt_refund_" + id,
                "ch_" + payment.paymentIntentId, payment.paymentIntentId, new OrgId(java.util.UUID.fromString(
                payment.org)), cumulative);
        redelivered(world, () -> world.app.billing().handlePaymentEvent().execute(event));
        // The same notification delivered again changes nothing.
        redelivered(world, () -> world.app.billing().handlePaymentEvent().execute(event));
        payment.refundedCents = cumulative;
        world.count("refund");
    }

    /**
     * Runs a use case the way its caller would on a busy database: a refusal that says "retry" (a lock or statement
     * timeout, a pool wait that ran out) is tried again, as Stripe redelivers a webhook answered 503 and the next
     * expiry run picks up what this one left. Nothing else is retried, and the invariants are checked at the end.
     */
    private static void redelivered(World world, Runnable call) {
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (io.agentbilling.core.error.BillingException e) {
                boolean retry = e.error() == io.agentbilling.core.error.BillingError.OVERLOADED
                        || e.error() == io.agentbilling.core.error.BillingError.UNAVAILABLE;
                if (!retry || attempt >= 30) {
                    throw e;
                }
                world.count("retried 503");
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void duplicate(World world, Random random, List<Sent> history) {
        if (history.isEmpty()) {
            return;
        }
        Sent sent = history.get(random.nextInt(history.size()));
        Answer again = post(world, sent.path(), sent.body());
        assertThat(again.ok()).as("duplicate " + again).isTrue();
        assertThat(again.replayed()).as("replayed " + sent.key()).isTrue();
        world.count("duplicate");
    }

    private static void conflict(World world, Random random, List<Sent> history) {
        if (history.isEmpty()) {
            return;
        }
        Sent sent = history.get(random.nextInt(history.size()));
        Answer reused = post(world, sent.path(), sent.changedBody());
        assertThat(reused.status()).as("reused key " + sent.key() + ": " + reused).isEqualTo(409);
        assertThat(reused.errorCode()).isEqualTo("idempotency_conflict");
        world.count("conflict");
    }

    /** Posts, retrying a 503 (a busy moment) with the same body, as a client would. */
    private static Answer post(World world, String path, String body) {
        return FaultServers.untilNot503(() -> {
            Answer answer = HTTP.at(world.base).internalPost(path, body);
            if (answer.status() == 503) {
                world.count("retried 503");
            }
            return answer;
        });
    }

    private static String paymentIntentOf(World world, String sessionId) {
        String[] intent = new String[1];
        world.audit.query("SELECT payment_intent_id FROM credited_payments WHERE source = 'checkout:" + sessionId
                + "'", row -> intent[0] = row.getString(1));
        assertThat(intent[0]).as("the credited payment of " + sessionId).isNotNull();
        return intent[0];
    }

    // ---- the invariants ----

    private static void check(World world) {
        LedgerAudit audit = world.audit;
        assertThat(audit.problems()).as("sum identity, chaining, totals identity, one entry per key").isEmpty();

        Map<String, long[]> entries = new HashMap<>(); // org|key → {count, amount}
        Map<String, String> types = new HashMap<>();
        List<String> unacknowledged = new ArrayList<>();
        Map<String, Long> refunded = new HashMap<>();
        Set<String> topups = new java.util.HashSet<>();
        audit.query("SELECT org_id, idempotency_key, type, amount_micros, entry_id, reference_id FROM ledger_entries",
                row -> {
                    String key = row.getString(1) + "|" + row.getString(2);
                    String type = row.getString(3);
                    long amount = row.getLong(4);
                    entries.computeIfAbsent(key, k -> new long[2])[0]++;
                    entries.get(key)[1] = amount;
                    types.put(key, type);
                    switch (type) {
                        case "usage", "grant", "adjustment" -> {
                            if (!world.expected.containsKey(key)) {
                                unacknowledged.add(key + " " + type + " " + amount);
                            }
                        }
                        case "topup" -> topups.add(row.getString(5));
                        case "refund" -> refunded.merge(row.getString(6), -amount, Long::sum);
                        case "expiry" -> assertThat(amount).isNegative();
                        case "signup_grant" -> assertThat(amount).isPositive();
                        default -> unacknowledged.add(key + " " + type + " " + amount);
                    }
                });
        assertThat(unacknowledged).as("entries no client was told about").isEmpty();
        world.expected.forEach((key, expected) -> {
            long[] found = entries.get(key);
            if (expected.amountMicros() == 0) {
                assertThat(found).as("a zero charge writes no entry: " + key).isNull();
                return;
            }
            assertThat(found).as("acknowledged " + key + " is on the ledger").isNotNull();
            assertThat(found[0]).as("entries of " + key).isEqualTo(1);
            assertThat(found[1]).as("amount of " + key + " (a conflicting reuse wrote nothing)")
                    .isEqualTo(expected.amountMicros());
            assertThat(types.get(key)).isEqualTo(expected.type());
        });
        assertThat(topups).as("one credit per paid checkout").isEqualTo(world.topupEntries);
        world.payments.forEach((intent, payment) -> assertThat(refunded.getOrDefault(intent, 0L))
                .as("refunded of " + intent).isEqualTo(payment.refundedCents * 1_000_000));

        for (FaultServers.Org org : world.orgs) {
            Answer credits = HTTP.at(world.base).get("/v1/billing/credits", "X-API-Key", org.adminKey());
            assertThat(credits.data().path("balanceMicros").asLong()).as("public balance of " + org.orgId())
                    .isEqualTo(audit.balanceMicros(org.orgId()));
        }
        Answer verify = HTTP.at(world.base).internalGet("/v1/internal/ledger/verify");
        assertThat(verify.data().path("clean").asBoolean()).as(verify.body()).isTrue();
    }
}
