package io.agentbilling.stripe.fake;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.stripe.Stripe;
import com.stripe.net.Webhook;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds webhook payloads shaped like Stripe's and signs them with stripe-java's own HMAC helper, the way
 * stripe-java's WebhookTest does. The signature covers the exact string returned, so send those bytes unchanged.
 */
public final class StripeEvents {
    static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private StripeEvents() {}

    /** An event of {@code type} around {@code dataObject}, rendered with the SDK's own API version. */
    public static String event(String type, JsonObject dataObject) {
        return event(newEventId(), type, dataObject, Stripe.API_VERSION);
    }

    public static String event(String eventId, String type, JsonObject dataObject, String apiVersion) {
        JsonObject event = new JsonObject();
        event.addProperty("id", eventId);
        event.addProperty("object", "event");
        event.addProperty("api_version", apiVersion);
        event.addProperty("created", Instant.now().getEpochSecond());
        JsonObject data = new JsonObject();
        data.add("object", dataObject.deepCopy());
        event.add("data", data);
        event.addProperty("livemode", false);
        event.addProperty("pending_webhooks", 1);
        JsonObject request = new JsonObject();
        request.add("id", null);
        request.add("idempotency_key", null);
        event.add("request", request);
        event.addProperty("type", type);
        return GSON.toJson(event);
    }

    public static String newEventId() {
        return FakeIds.next("evt", SEQUENCE.incrementAndGet());
    }

    /** {@code t=<now>,v1=<hex hmac>}. */
    public static String signatureHeader(String payload, String webhookSecret) {
        return signatureHeader(payload, webhookSecret, Instant.now().getEpochSecond());
    }

    /** {@code t=<timestampSeconds>,v1=<hex hmac of "t.payload" keyed with the whole secret>}. */
    public static String signatureHeader(String payload, String webhookSecret, long timestampSeconds) {
        return "t=" + timestampSeconds + ",v1=" + signature(payload, webhookSecret, timestampSeconds);
    }

    public static String signature(String payload, String webhookSecret, long timestampSeconds) {
        try {
            return Webhook.Util.computeHmacSha256(webhookSecret, timestampSeconds + "." + payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
