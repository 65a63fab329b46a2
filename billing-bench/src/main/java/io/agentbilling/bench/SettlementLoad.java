package io.agentbilling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The settlement traffic of one workload run. Event {@code local} of client {@code c} has the idempotency key
 * {@code <prefix>-<c>-<local>} and a body that is a pure function of {@code (c, local)}, so that a replay (5% of
 * requests by default) resends exactly the bytes of an earlier acknowledged request. Each client records which of
 * its events were acknowledged (a bit set), for the exactly-once check against the ledger afterwards.
 *
 * <p>Thread-safe: each client thread works on its own {@link Client}.
 */
final class SettlementLoad {
    private static final int RING = 1_024;

    private final String prefix;
    private final List<Fixture.Org> orgs;
    private final int eventsPerRequest;
    private final double replayRate;
    private final Instant occurredAtBase;
    private final int spreadDays;
    private final Map<Integer, Client> clients = new ConcurrentHashMap<>();

    /**
     * @param spreadDays 0: events carry no {@code occurredAt} (now); otherwise spread over that many past days
     */
    SettlementLoad(String prefix, List<Fixture.Org> orgs, int eventsPerRequest, double replayRate, int spreadDays) {
        this.prefix = prefix;
        this.orgs = List.copyOf(orgs);
        this.eventsPerRequest = eventsPerRequest;
        this.replayRate = replayRate;
        this.spreadDays = spreadDays;
        this.occurredAtBase = Instant.now().minusSeconds(600);
    }

    String prefix() {
        return prefix;
    }

    int eventsPerRequest() {
        return eventsPerRequest;
    }

    Client client(int index) {
        return clients.computeIfAbsent(index, Client::new);
    }

    /** Acknowledged event numbers, per client. */
    Map<Integer, BitSet> acknowledged() {
        Map<Integer, BitSet> acked = new ConcurrentHashMap<>();
        clients.forEach((index, client) -> acked.put(index, client.acked));
        return acked;
    }

    Api.ModelEvent event(int client, long local) {
        long id = ((long) client << 40) ^ local;
        Fixture.Org org = orgs.get(Mix.index(id, orgs.size()));
        String model = Api.MODELS[(int) (local % Api.MODELS.length)];
        String occurredAt = null;
        if (spreadDays > 0) {
            long secondsBack = Long.remainderUnsigned(Mix.hash(id ^ 0x5DEECE66DL), spreadDays * 86_400L);
            occurredAt = occurredAtBase.minusSeconds(secondsBack).toString();
        }
        return new Api.ModelEvent(org.orgId(), org.memberId(), model, 200 + local % 800, 20 + local % 180, occurredAt,
                prefix + "-" + client + "-" + local);
    }

    private byte[] request(Target target, int client, long requestNo) {
        long first = requestNo * eventsPerRequest;
        if (eventsPerRequest == 1) {
            return target.postInternal(Api.MODEL_USAGE, Api.modelUsage(event(client, first)));
        }
        Api.ModelEvent[] events = new Api.ModelEvent[eventsPerRequest];
        for (int i = 0; i < eventsPerRequest; i++) {
            events[i] = event(client, first + i);
        }
        return target.postInternal(Api.USAGE_BATCH, Api.batch(events));
    }

    /** Counters of one client; read after its thread ended. */
    static final class Counters {
        long requests;
        long newEvents;
        long replays;
        long replaysNotMarked;
        long newMarkedAsReplay;
        long refusedEvents;
        long errorResponses;
        long ioErrors;
        /** Open loop only: requests that were due but never sent before the run's hard stop (a saturated server). */
        long notSent;
        String lastError;
        /**
         * Answers other than 200 by what they said ({@code 503 unavailable: "…" [Retry-After: 1]}) and I/O errors by
         * exception class; only the read and overload points fill it.
         */
        private Map<String, Long> answers;

        void answer(String what) {
            answer(what, 1);
        }

        private void answer(String what, long times) {
            if (answers == null) {
                answers = new TreeMap<>();
            }
            answers.merge(what, times, Long::sum);
        }

        Map<String, Long> answers() {
            return answers == null ? Map.of() : answers;
        }

        void add(Counters o) {
            requests += o.requests;
            newEvents += o.newEvents;
            replays += o.replays;
            replaysNotMarked += o.replaysNotMarked;
            newMarkedAsReplay += o.newMarkedAsReplay;
            refusedEvents += o.refusedEvents;
            errorResponses += o.errorResponses;
            ioErrors += o.ioErrors;
            notSent += o.notSent;
            if (o.lastError != null) {
                lastError = o.lastError;
            }
            o.answers().forEach(this::answer);
        }
    }

    /** One client's state: its next request number, what was acknowledged, recent acknowledged requests to replay. */
    final class Client {
        private final int index;
        private final BitSet acked = new BitSet();
        private final long[] recent = new long[RING];
        private final SplittableRandom random;
        private int recentCount;
        private long nextRequest;

        private Client(int index) {
            this.index = index;
            this.random = new SplittableRandom(0xB111L * 31 + index);
        }

        /**
         * Sends one request (new, or a replay of an acknowledged one) and counts its outcome into {@code counters}
         * when not null (outside the measured window it is null).
         */
        void step(Target target, HttpConnection connection, Counters counters) {
            step(target, connection, target, connection, counters);
        }

        /**
         * As {@link #step(Target, HttpConnection, Counters)}, but a replay goes to {@code replayTarget} over
         * {@code replayConnection} (another server instance on the same database: it must answer a settlement that
         * the first one committed as a replay).
         */
        void step(Target target, HttpConnection connection, Target replayTarget, HttpConnection replayConnection,
                  Counters counters) {
            boolean replay = recentCount > 0 && random.nextDouble() < replayRate;
            long requestNo = replay ? recent[random.nextInt(Math.min(recentCount, RING))] : nextRequest++;
            Counters c = counters == null ? new Counters() : counters;
            c.requests++;
            HttpConnection.Response response;
            try {
                response = replay ? replayConnection.send(request(replayTarget, index, requestNo))
                        : connection.send(request(target, index, requestNo));
            } catch (IOException e) {
                c.ioErrors++;
                c.lastError = e.toString();
                return;
            }
            if (response.status() != 200) {
                c.errorResponses++;
                c.lastError = response.status() + " " + abbreviate(response.text());
                return;
            }
            int settled = eventsPerRequest == 1 ? 1 : batchOutcome(response, replay, c, requestNo);
            if (eventsPerRequest == 1) {
                if (replay && !response.replayed()) {
                    c.replaysNotMarked++;
                } else if (!replay && response.replayed()) {
                    c.newMarkedAsReplay++;
                }
                if (!replay) {
                    acked.set((int) requestNo);
                }
            }
            if (replay) {
                c.replays++;
            } else {
                c.newEvents += settled;
                recent[recentCount++ % RING] = requestNo;
            }
        }

        private int batchOutcome(HttpConnection.Response response, boolean replay, Counters c, long requestNo) {
            JsonNode results;
            try {
                results = Api.batchResults(Api.data(response));
            } catch (IOException | RuntimeException e) {
                c.errorResponses++;
                c.lastError = "unreadable batch response: " + e.getMessage();
                return 0;
            }
            if (results.size() != eventsPerRequest) {
                c.errorResponses++;
                c.lastError = "batch answered " + results.size() + " results for " + eventsPerRequest + " events";
                return 0;
            }
            int settled = 0;
            long first = requestNo * eventsPerRequest;
            for (int i = 0; i < results.size(); i++) {
                JsonNode result = results.get(i);
                if (!Api.eventSettled(result)) {
                    c.refusedEvents++;
                    c.lastError = "refused event: " + abbreviate(result.toString());
                    continue;
                }
                settled++;
                boolean replayed = Api.eventReplayed(result);
                if (replay && !replayed) {
                    c.replaysNotMarked++;
                } else if (!replay && replayed) {
                    c.newMarkedAsReplay++;
                }
                if (!replay) {
                    acked.set((int) (first + i));
                }
            }
            return settled;
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
