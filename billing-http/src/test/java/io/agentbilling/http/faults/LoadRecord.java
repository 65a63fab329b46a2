package io.agentbilling.http.faults;

import io.agentbilling.http.support.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * What a load run saw, per idempotency key: the request body sent (for retries with the same payload), and whether
 * the server acknowledged it (2xx, with the micros it charged), refused it, or left it unknown (no answer, 5xx).
 * Thread-safe.
 */
final class LoadRecord {
    /** Every key sent, with its body. */
    final Map<String, String> sent = new ConcurrentHashMap<>();
    /** Keys answered 2xx, with the charged micros. */
    final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    /** Keys answered with something else or nothing: the outcome is unknown to the client. */
    final Set<String> unknown = ConcurrentHashMap.newKeySet();
    /** Every answer, with the key of its request. */
    final ConcurrentLinkedQueue<Keyed> answers = new ConcurrentLinkedQueue<>();

    record Keyed(String key, Answer answer) {}

    void record(String key, String body, Answer answer, String chargedField) {
        sent.put(key, body);
        answers.add(new Keyed(key, answer));
        if (answer.ok()) {
            acknowledged.put(key, answer.data().path(chargedField).asLong());
            unknown.remove(key);
        } else if (!acknowledged.containsKey(key)) {
            unknown.add(key);
        }
    }

    /** Answers by status, for messages. */
    Map<Integer, Long> statusCounts() {
        return answers.stream().collect(Collectors.groupingBy(k -> k.answer().status(), Collectors.counting()));
    }

    /**
     * Answers that are neither a 2xx nor a 503 "retry" ({@code unavailable}, or {@code overloaded} for requests that
     * waited past their time while the fault began): a fault must never look like anything else.
     */
    List<Answer> unexpected() {
        List<Answer> odd = new ArrayList<>();
        for (Keyed keyed : answers) {
            Answer answer = keyed.answer();
            if (!answer.ok() && !(answer.status() == 503 && ("unavailable".equals(answer.errorCode())
                    || "overloaded".equals(answer.errorCode())))) {
                odd.add(answer);
            }
        }
        return odd;
    }

    /** The slowest answer to a request whose key starts with {@code keyPrefix}. */
    Duration slowest(String keyPrefix) {
        return answers.stream().filter(k -> k.key().startsWith(keyPrefix)).map(k -> k.answer().took())
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    long count(int status) {
        return answers.stream().filter(k -> k.answer().status() == status).count();
    }

    /** Adds another run's record to this one. */
    void addAll(LoadRecord other) {
        sent.putAll(other.sent);
        acknowledged.putAll(other.acknowledged);
        other.unknown.stream().filter(k -> !acknowledged.containsKey(k)).forEach(unknown::add);
        answers.addAll(other.answers);
    }
}
