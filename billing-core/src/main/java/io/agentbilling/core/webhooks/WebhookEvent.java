package io.agentbilling.core.webhooks;

import io.agentbilling.core.access.OrgId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event of an org, as it is sent: its stable id, type, time and the exact JSON body every delivery of it
 * carries ({@code {"id", "type", "createdAt", "orgId", "data"}}). The id is derived from the event's type and its
 * cause (the ledger entry that crossed a threshold, the attempt that failed, the hold that expired…), so recording
 * the same cause twice is one event, and a receiver deduplicates by it.
 */
public record WebhookEvent(String id, OrgId orgId, WebhookEventType type, Instant createdAt, String body) {
    public static final String ID_PREFIX = "evt_";

    public WebhookEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(body, "body");
    }

    /**
     * The event of {@code type} caused by {@code cause} in {@code orgId}, with {@code data} as its payload.
     *
     * @param cause what caused it, unique per type within the org (e.g. a ledger entry id)
     */
    public static WebhookEvent of(OrgId orgId, WebhookEventType type, String cause, Instant at, JsonObject data) {
        String id = idFor(orgId, type, cause);
        String body = new JsonObject().put("id", id).put("type", type.wireName()).put("createdAt", at.toString())
                .put("orgId", orgId.toString()).put("data", data).toJson();
        return new WebhookEvent(id, orgId, type, at, body);
    }

    /** The stable id of the event of {@code type} caused by {@code cause} in {@code orgId}. */
    public static String idFor(OrgId orgId, WebhookEventType type, String cause) {
        String name = orgId + "\n" + type.wireName() + "\n" + cause;
        return ID_PREFIX + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }
}
