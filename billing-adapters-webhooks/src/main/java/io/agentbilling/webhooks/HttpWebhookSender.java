package io.agentbilling.webhooks;

import io.agentbilling.core.port.WebhookSender;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends outbound webhooks over HTTP with the JDK's client: one {@code POST} of the event's exact JSON body, signed
 * in {@value #SIGNATURE_HEADER} as {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">} under the
 * endpoint's secret (the whole {@code whsec_…} string, UTF-8), the way Stripe signs its own. A receiver checks the
 * signature and that {@code t} is recent, then deduplicates by the event id ({@value #EVENT_ID_HEADER}, also the
 * body's {@code id}): delivery is at least once.
 *
 * <p>Before each send the host is resolved and every address checked by {@link WebhookTargets}; redirects are never
 * followed (a 3xx is a failed attempt), so an endpoint cannot bounce the request into the server's own network.
 * A name that resolves to a public address when checked and to a private one a moment later (DNS rebinding) is not
 * caught: the JDK client resolves again when it connects. Operators who need that closed run the server behind an
 * egress proxy that refuses private ranges. Timeouts are short ({@link #CONNECT_TIMEOUT} to connect,
 * {@link #REQUEST_TIMEOUT} for the answer) and sends run on the background jobs' own pool, never in a settlement.
 *
 * <p>An embedding service turns deliveries on by passing one to the engine, e.g. {@code
 * PostgresBilling.configure()…webhookSender(new HttpWebhookSender(new WebhookTargets(false, WebhookTargets.SYSTEM),
 * clock))}; the engine's background jobs then send what the outbox holds. Thread-safe.
 */
public final class HttpWebhookSender implements WebhookSender {
    /** The header that carries {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}. */
    public static final String SIGNATURE_HEADER = "Billing-Signature";
    /** The header that carries the event's id (also the body's {@code id}), for deduplication. */
    public static final String EVENT_ID_HEADER = "Billing-Event-Id";
    /** The header that carries the event's type, e.g. {@code balance.low}. */
    public static final String EVENT_TYPE_HEADER = "Billing-Event-Type";
    /** How long connecting may take by default. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** How long the answer may take by default, once the request is sent. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final String USER_AGENT = "agent-billing-webhooks/1";

    private final HttpClient client;
    private final WebhookTargets targets;
    private final Clock clock;
    private final Duration requestTimeout;

    /**
     * A sender with the default timeouts.
     *
     * @param targets which addresses may be sent to
     * @param clock   the clock of the signatures' timestamps
     */
    public HttpWebhookSender(WebhookTargets targets, Clock clock) {
        this(targets, clock, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    /**
     * A sender with its own timeouts.
     *
     * @param targets        which addresses may be sent to
     * @param clock          the clock of the signatures' timestamps
     * @param connectTimeout how long connecting may take
     * @param requestTimeout how long the answer may take; a slower one is a failed attempt, retried later
     */
    public HttpWebhookSender(WebhookTargets targets, Clock clock, Duration connectTimeout, Duration requestTimeout) {
        this.targets = Objects.requireNonNull(targets, "targets");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.client = HttpClient.newBuilder()
                .connectTimeout(Objects.requireNonNull(connectTimeout, "connectTimeout"))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Optional<String> refusal(URI url) {
        return targets.refusalWithoutLookup(url);
    }

    @Override
    public Outcome send(Request request) {
        long started = System.nanoTime();
        try {
            Optional<String> refused = targets.refusalAfterLookup(request.url());
            if (refused.isPresent()) {
                return Outcome.failed(refused.get(), elapsed(started));
            }
        } catch (UnknownHostException e) {
            return Outcome.failed("the host " + request.url().getHost() + " does not resolve", elapsed(started));
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest http = HttpRequest.newBuilder(request.url())
                .timeout(requestTimeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", USER_AGENT)
                .header(EVENT_ID_HEADER, request.eventId())
                .header(EVENT_TYPE_HEADER, request.eventType())
                .header(SIGNATURE_HEADER, signatureHeader(request.secret(), timestamp, request.body()))
                .POST(HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<Void> response = client.send(http, HttpResponse.BodyHandlers.discarding());
            return Outcome.answered(response.statusCode(), elapsed(started));
        } catch (HttpTimeoutException e) {
            return Outcome.failed("no answer within the timeout (" + e.getMessage() + ")", elapsed(started));
        } catch (IOException e) {
            return Outcome.failed("the connection failed: " + e, elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted while sending (the server is stopping)", elapsed(started));
        }
    }

    /**
     * The {@value #SIGNATURE_HEADER} value for {@code body} sent at {@code unixSeconds}; a receiver computes the
     * same to verify a delivery.
     *
     * @param secret      the endpoint's signing secret, the whole {@code whsec_…} string
     * @param unixSeconds the time of sending
     * @param body        the exact request body
     * @return {@code t=<unixSeconds>,v1=<hex HMAC-SHA256 of "<unixSeconds>.<body>">}
     */
    public static String signatureHeader(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacSha256Hex(secret, unixSeconds + "." + body);
    }

    static String hmacSha256Hex(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static long elapsed(long startedNanos) {
        return Math.max(0, Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
    }
}
