package io.agentbilling.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Sends one logical call and retries it by the {@link RetryPolicy}: the same method, path, body bytes, credential
 * and idempotency key on every attempt. Parses the success envelope ({@code data}, {@code meta}) and turns an error
 * envelope into the {@link BillingApiException} of its status. Thread-safe (the JDK client is).
 */
final class Transport {
    static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final String USER_AGENT = "agentbilling-java-client/"
            + Objects.requireNonNullElse(Transport.class.getPackage().getImplementationVersion(), "dev");
    private static final int MAX_ERROR_TEXT = 300;

    /** How freely a call may be sent again. */
    enum Safety {
        /** Reads, writes that carry an idempotency key, naturally idempotent writes: retried after any failure. */
        REPEATABLE,
        /**
         * Writes without a key (a retry could write twice): retried only when the server certainly did not process
         * the request — the connection was refused, or it answered 429.
         */
        ONCE
    }

    /** One logical call: what every attempt sends. {@code keyInHeader}: send the key as {@code Idempotency-Key}. */
    record Call(String method, String path, byte[] body, Safety safety, String idempotencyKey, boolean keyInHeader) {
        static Call get(String path) {
            return new Call("GET", path, null, Safety.REPEATABLE, null, false);
        }
    }

    /** A success: the {@code data}, the list meta, and how it came. */
    record Answer<T>(T data, int status, String requestId, boolean replayedHeader, boolean hasMore,
                     String nextCursor, int attempts) {
    }

    /** The success envelope. */
    record Envelope<T>(T data, Meta meta) {
    }

    record Meta(String requestId, Boolean hasMore, String nextCursor) {
    }

    private final URI base;
    private final String credentialHeader;
    private final String credential;
    private final HttpClient http;
    private final RetryPolicy policy;
    private final Consumer<RetryEvent> onRetry;
    private final ObjectMapper json = ClientJson.MAPPER;

    Transport(URI base, String credentialHeader, String credential, HttpClient http, RetryPolicy policy,
              Consumer<RetryEvent> onRetry) {
        String text = Objects.requireNonNull(base, "base URL").toString();
        if (!text.startsWith("http://") && !text.startsWith("https://")) {
            throw new IllegalArgumentException("the base URL must be http(s): " + text);
        }
        this.base = URI.create(text.replaceAll("/+$", ""));
        this.credentialHeader = credentialHeader;
        this.credential = Objects.requireNonNull(credential, "credential");
        if (credential.isBlank()) {
            throw new IllegalArgumentException("the credential must not be blank");
        }
        this.http = Objects.requireNonNull(http, "http client");
        this.policy = Objects.requireNonNull(policy, "retry policy");
        this.onRetry = onRetry == null ? event -> { } : onRetry;
    }

    RetryPolicy policy() {
        return policy;
    }

    ObjectMapper json() {
        return json;
    }

    /** The body of a request: the value as JSON bytes, written once so every attempt sends the same bytes. */
    byte[] body(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
        }
    }

    <T> T data(Call call, Class<T> type) {
        Answer<T> answer = send(call, json.getTypeFactory().constructType(type), policy);
        return answer.data();
    }

    <T> Answer<T> send(Call call, Class<T> type) {
        Answer<T> answer = send(call, json.getTypeFactory().constructType(type), policy);
        return answer;
    }

    <T> Answer<List<T>> sendList(Call call, Class<T> itemType, RetryPolicy retryPolicy) {
        return send(call, json.getTypeFactory().constructCollectionType(List.class, itemType), retryPolicy);
    }

    /** Sends until a success, a refusal that must not be retried, or the end of the policy. */
    <T> Answer<T> send(Call call, JavaType dataType, RetryPolicy retryPolicy) {
        long start = System.nanoTime();
        long deadline = start + retryPolicy.maxElapsed().toNanos();
        for (int attempt = 1; ; attempt++) {
            long left = deadline - System.nanoTime();
            Duration timeout = Duration.ofNanos(Math.max(1_000_000L,
                    Math.min(retryPolicy.attemptTimeout().toNanos(), left)));
            Failure failure;
            try {
                HttpResponse<byte[]> response = http.send(request(call, timeout),
                        HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return success(response, dataType, attempt);
                }
                BillingApiException.Answered answered = errorOf(response, call, attempt);
                boolean retryable = status == 429 || status == 503 && call.safety() == Safety.REPEATABLE;
                failure = new Failure(retryable, status, answered.code(), answered.retryAfter(),
                        () -> BillingApiException.of(answered));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BillingTransportException("interrupted while calling " + call.method() + " "
                        + call.path(), call.idempotencyKey(), attempt, e);
            } catch (IOException e) {
                boolean retryable = call.safety() == Safety.REPEATABLE || notDelivered(e);
                int attempts = attempt;
                failure = new Failure(retryable, 0, describe(e), null, () -> new BillingTransportException(
                        "no answer from " + call.method() + " " + base + call.path() + " after " + attempts
                                + " attempt(s): " + describe(e), call.idempotencyKey(), attempts, e));
            }
            if (!failure.retryable() || attempt >= retryPolicy.maxAttempts()) {
                throw failure.exception().get();
            }
            Duration wait = retryPolicy.backoff(attempt, failure.retryAfter());
            if (System.nanoTime() + wait.toNanos() >= deadline) {
                throw failure.exception().get();
            }
            onRetry.accept(new RetryEvent(call.method(), call.path(), attempt, failure.status(), failure.reason(),
                    wait, call.idempotencyKey()));
            sleep(wait, call, attempt);
        }
    }

    private record Failure(boolean retryable, int status, String reason, Duration retryAfter,
                           java.util.function.Supplier<BillingClientException> exception) {
    }

    private HttpRequest request(Call call, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + call.path()))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .header(credentialHeader, credential);
        if (call.keyInHeader() && call.idempotencyKey() != null) {
            builder.header(IDEMPOTENCY_KEY_HEADER, call.idempotencyKey());
        }
        if (call.body() == null) {
            builder.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
        }
        return builder.build();
    }

    /** A 2xx: its envelope. A body that is not one is a protocol failure, not retried (it would not change). */
    private <T> Answer<T> success(HttpResponse<byte[]> response, JavaType dataType, int attempts) {
        JavaType envelopeType = json.getTypeFactory().constructParametricType(Envelope.class, dataType);
        Envelope<T> envelope;
        try {
            envelope = json.readValue(response.body(), envelopeType);
        } catch (IOException e) {
            throw new BillingTransportException("the answer (" + response.statusCode() + ") to "
                    + response.request().method() + " " + response.request().uri().getRawPath()
                    + " is not the expected JSON: " + e.getMessage(), null, attempts, e);
        }
        Meta meta = envelope.meta() == null ? new Meta(null, null, null) : envelope.meta();
        String requestId = meta.requestId() != null ? meta.requestId()
                : response.headers().firstValue("X-Request-Id").orElse(null);
        boolean replayed = response.headers().firstValue(REPLAYED_HEADER).map("true"::equalsIgnoreCase)
                .orElse(false);
        return new Answer<>(envelope.data(), response.statusCode(), requestId, replayed,
                Boolean.TRUE.equals(meta.hasMore()), meta.nextCursor(), attempts);
    }

    /** The error envelope of an answer, or what can be said about an answer that is not one (a proxy's page). */
    private BillingApiException.Answered errorOf(HttpResponse<byte[]> response, Call call, int attempts) {
        int status = response.statusCode();
        Duration retryAfter = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
        String requestId = response.headers().firstValue("X-Request-Id").orElse(null);
        try {
            JsonNode error = json.readTree(response.body()).path("error");
            if (error.isObject() && error.path("code").isTextual()) {
                List<FieldIssue> details = new ArrayList<>();
                for (JsonNode detail : error.path("details")) {
                    details.add(new FieldIssue(detail.path("field").asText(null), detail.path("issue").asText(null)));
                }
                String id = error.path("requestId").asText(requestId);
                return new BillingApiException.Answered(status, error.path("code").asText(),
                        error.path("message").asText("HTTP " + status), id, details, retryAfter,
                        call.idempotencyKey(), attempts);
            }
        } catch (IOException | RuntimeException notJson) {
            // Not our envelope: a proxy or load balancer answered. Described below by its status.
        }
        String text = new String(response.body(), StandardCharsets.UTF_8).strip();
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT) + "…";
        }
        return new BillingApiException.Answered(status, codeForStatus(status),
                "HTTP " + status + " from " + call.method() + " " + call.path() + (text.isEmpty() ? "" : ": " + text),
                requestId, List.of(), retryAfter, call.idempotencyKey(), attempts);
    }

    /** The API's code for a bare status (as the server maps statuses it did not decide itself). */
    static String codeForStatus(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "unprocessable";
            case 429 -> "rate_limited";
            case 502 -> "payment_provider_error";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    /** {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110); null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException | ArithmeticException tooLarge) {
                return null;
            }
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(),
                    ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The request never reached the server: safe to send again even without an idempotency key. */
    private static boolean notDelivered(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static void sleep(Duration wait, Call call, int attempt) {
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillingTransportException("interrupted while waiting to retry " + call.method() + " "
                    + call.path(), call.idempotencyKey(), attempt, e);
        }
    }
}
