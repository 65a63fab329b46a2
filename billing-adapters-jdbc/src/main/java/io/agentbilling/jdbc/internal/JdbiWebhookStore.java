package io.agentbilling.jdbc.internal;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.port.WebhookStore;
import io.agentbilling.core.webhooks.DeliveryAttempt;
import io.agentbilling.core.webhooks.DeliveryStatus;
import io.agentbilling.core.webhooks.KeyedEndpoint;
import io.agentbilling.core.webhooks.WebhookDelivery;
import io.agentbilling.core.webhooks.WebhookDeliveryId;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import io.agentbilling.core.webhooks.WebhookEvent;
import io.agentbilling.core.webhooks.WebhookEventType;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * {@link WebhookStore} on PostgreSQL (tables of V7; the endpoints' idempotency keys of V8; the deliveries' leases of
 * V9). An event is claimed with
 * {@code INSERT … ON CONFLICT DO NOTHING} on (org, event id), so the same cause recorded twice creates its deliveries
 * once. The worker claims due deliveries with {@code FOR UPDATE SKIP LOCKED} and moves them to the lease end in the
 * same statement, so two instances never send one delivery at once. Not thread-safe (one handle).
 */
public final class JdbiWebhookStore implements WebhookStore {
    private static final String DELIVERY_COLUMNS = "org_id, delivery_id, endpoint_id, event_id, event_type, status,"
            + " attempts, next_attempt_at, give_up_at, last_attempt_at, last_response_code, last_error, created_at,"
            + " delivered_at";

    private final Handle handle;

    JdbiWebhookStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insertEndpoint(WebhookEndpoint endpoint) {
        insertEndpoint(endpoint, null, null, "");
    }

    @Override
    public boolean insertEndpoint(WebhookEndpoint endpoint, String idempotencyKey, String fingerprint) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
        // The (org, key) constraint is the arbiter: a concurrent registration with the same key waits for the first
        // one's transaction and then inserts nothing.
        return insertEndpoint(endpoint, idempotencyKey, fingerprint,
                " ON CONFLICT (org_id, idempotency_key) DO NOTHING") == 1;
    }

    private int insertEndpoint(WebhookEndpoint endpoint, String idempotencyKey, String fingerprint, String onConflict) {
        return handle.createUpdate("INSERT INTO webhook_endpoints (org_id, endpoint_id, url, events, sealed_secret,"
                        + " created_at, deleted_at, idempotency_key, fingerprint)"
                        + " VALUES (:org, :id, :url, :events, :secret, :createdAt, :deletedAt, :key, :fingerprint)"
                        + onConflict)
                .bind("org", endpoint.orgId().value())
                .bind("id", endpoint.id().value())
                .bind("url", endpoint.url())
                .bindArray("events", String.class, endpoint.events().stream().map(WebhookEventType::wireName).sorted()
                        .toList())
                .bind("secret", endpoint.sealedSecret())
                .bind("createdAt", endpoint.createdAt())
                .bind("deletedAt", endpoint.deletedAt())
                .bind("key", idempotencyKey)
                .bind("fingerprint", fingerprint)
                .execute();
    }

    @Override
    public Optional<KeyedEndpoint> findEndpointByKey(OrgId orgId, String idempotencyKey) {
        return handle.createQuery("SELECT * FROM webhook_endpoints WHERE org_id = :org AND idempotency_key = :key")
                .bind("org", orgId.value())
                .bind("key", idempotencyKey)
                .map((rs, ctx) -> new KeyedEndpoint(endpoint(rs), rs.getString("fingerprint")))
                .findOne();
    }

    @Override
    public Optional<WebhookEndpoint> findEndpoint(OrgId orgId, WebhookEndpointId id) {
        return handle.createQuery("SELECT * FROM webhook_endpoints WHERE org_id = :org AND endpoint_id = :id")
                .bind("org", orgId.value())
                .bind("id", id.value())
                .map((rs, ctx) -> endpoint(rs))
                .findOne();
    }

    @Override
    public List<WebhookEndpoint> endpoints(OrgId orgId) {
        return handle.createQuery("SELECT * FROM webhook_endpoints WHERE org_id = :org AND deleted_at IS NULL"
                        + " ORDER BY created_at, endpoint_id::text")
                .bind("org", orgId.value())
                .map((rs, ctx) -> endpoint(rs))
                .list();
    }

    @Override
    public void deleteEndpoint(WebhookEndpoint deleted) {
        handle.createUpdate("UPDATE webhook_endpoints SET deleted_at = :at WHERE org_id = :org AND endpoint_id = :id")
                .bind("org", deleted.orgId().value())
                .bind("id", deleted.id().value())
                .bind("at", deleted.deletedAt())
                .execute();
        // As WebhookDelivery.canceled words it.
        handle.createUpdate("UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = :at,"
                        + " last_error = 'the endpoint was deleted'"
                        + " WHERE org_id = :org AND endpoint_id = :id AND status = 'pending'")
                .bind("org", deleted.orgId().value())
                .bind("id", deleted.id().value())
                .bind("at", deleted.deletedAt())
                .execute();
    }

    @Override
    public int appendEvent(WebhookEvent event, Supplier<WebhookDeliveryId> deliveryIds, Instant giveUpAt) {
        int inserted = handle.createUpdate("INSERT INTO webhook_events (org_id, event_id, type, created_at, body)"
                        + " VALUES (:org, :id, :type, :createdAt, :body) ON CONFLICT DO NOTHING")
                .bind("org", event.orgId().value())
                .bind("id", event.id())
                .bind("type", event.type().wireName())
                .bind("createdAt", event.createdAt())
                .bind("body", event.body())
                .execute();
        if (inserted == 0) {
            return 0;
        }
        List<WebhookEndpoint> subscribed = endpoints(event.orgId()).stream().filter(e -> e.wants(event.type()))
                .toList();
        if (subscribed.isEmpty()) {
            return 0;
        }
        List<WebhookDelivery> created = new ArrayList<>();
        subscribed.forEach(e -> created.add(WebhookDelivery.of(deliveryIds.get(), e.id(), event, giveUpAt)));
        handle.createUpdate("INSERT INTO webhook_deliveries (org_id, delivery_id, endpoint_id, event_id, event_type,"
                        + " status, attempts, next_attempt_at, give_up_at, created_at)"
                        + " SELECT :org, d, e, :event, :type, 'pending', 0, :at, :giveUpAt, :at"
                        + " FROM unnest(:deliveries, :endpoints) AS v(d, e)")
                .bind("org", event.orgId().value())
                .bind("event", event.id())
                .bind("type", event.type().wireName())
                .bind("at", event.createdAt())
                .bind("giveUpAt", giveUpAt)
                .bindArray("deliveries", UUID.class, created.stream().map(d -> d.id().value()).toList())
                .bindArray("endpoints", UUID.class, created.stream().map(d -> d.endpointId().value()).toList())
                .execute();
        return created.size();
    }

    @Override
    public Optional<WebhookEvent> findEvent(OrgId orgId, String eventId) {
        return handle.createQuery("SELECT * FROM webhook_events WHERE org_id = :org AND event_id = :id")
                .bind("org", orgId.value())
                .bind("id", eventId)
                .map((rs, ctx) -> new WebhookEvent(rs.getString("event_id"), new OrgId(Rows.uuid(rs, "org_id")),
                        type(rs.getString("type")), Rows.instant(rs, "created_at"), rs.getString("body")))
                .findOne();
    }

    @Override
    public List<WebhookDelivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        return handle.createQuery("""
                        UPDATE webhook_deliveries AS d SET next_attempt_at = :leaseUntil, leased_until = :leaseUntil
                        FROM (SELECT w.org_id, w.delivery_id FROM webhook_deliveries w
                              JOIN webhook_endpoints e ON e.org_id = w.org_id AND e.endpoint_id = w.endpoint_id
                              WHERE w.status = 'pending' AND w.next_attempt_at <= :now AND e.deleted_at IS NULL
                              ORDER BY w.next_attempt_at, w.delivery_id::text
                              LIMIT :limit
                              FOR UPDATE OF w SKIP LOCKED) AS due
                        WHERE d.org_id = due.org_id AND d.delivery_id = due.delivery_id
                        RETURNING d.*""")
                .bind("now", now)
                .bind("leaseUntil", leaseUntil)
                .bind("limit", limit)
                .map((rs, ctx) -> delivery(rs))
                .list();
    }

    @Override
    public void recordAttempt(DeliveryAttempt attempt, WebhookDelivery after) {
        handle.createUpdate("INSERT INTO webhook_delivery_attempts (org_id, delivery_id, number, attempted_at,"
                        + " response_code, error, duration_millis)"
                        + " VALUES (:org, :delivery, :number, :at, :code, :error, :duration)")
                .bind("org", attempt.orgId().value())
                .bind("delivery", attempt.deliveryId().value())
                .bind("number", attempt.number())
                .bind("at", attempt.attemptedAt())
                .bind("code", attempt.responseCode())
                .bind("error", attempt.error())
                .bind("duration", attempt.durationMillis())
                .execute();
        updateDelivery(after);
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(OrgId orgId, WebhookDeliveryId id) {
        return handle.createQuery("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries"
                        + " WHERE org_id = :org AND delivery_id = :id")
                .bind("org", orgId.value())
                .bind("id", id.value())
                .map((rs, ctx) -> delivery(rs))
                .findOne();
    }

    @Override
    public Optional<WebhookDelivery> lockDelivery(OrgId orgId, WebhookDeliveryId id) {
        return handle.createQuery("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries"
                        + " WHERE org_id = :org AND delivery_id = :id FOR UPDATE")
                .bind("org", orgId.value())
                .bind("id", id.value())
                .map((rs, ctx) -> delivery(rs))
                .findOne();
    }

    @Override
    public void updateDelivery(WebhookDelivery delivery) {
        int updated = handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = :status, attempts = :attempts,
                            next_attempt_at = :next, give_up_at = :giveUpAt, last_attempt_at = :lastAttemptAt,
                            last_response_code = :code, last_error = :error, delivered_at = :deliveredAt,
                            leased_until = NULL
                        WHERE org_id = :org AND delivery_id = :id""")
                .bind("org", delivery.orgId().value())
                .bind("id", delivery.id().value())
                .bind("status", delivery.status().wireName())
                .bind("attempts", delivery.attempts())
                .bind("next", delivery.nextAttemptAt())
                .bind("giveUpAt", delivery.giveUpAt())
                .bind("lastAttemptAt", delivery.lastAttemptAt())
                .bind("code", delivery.lastResponseCode())
                .bind("error", delivery.lastError())
                .bind("deliveredAt", delivery.deliveredAt())
                .execute();
        if (updated != 1) {
            throw new IllegalStateException("no delivery " + delivery.id());
        }
    }

    @Override
    public Optional<Instant> leaseOf(OrgId orgId, WebhookDeliveryId id) {
        return handle.createQuery("SELECT leased_until FROM webhook_deliveries"
                        + " WHERE org_id = :org AND delivery_id = :id AND leased_until IS NOT NULL")
                .bind("org", orgId.value())
                .bind("id", id.value())
                .map((rs, ctx) -> Rows.instant(rs, "leased_until"))
                .findOne();
    }

    @Override
    public List<WebhookDelivery> deliveries(OrgId orgId, WebhookEndpointId endpointId, WebhookDelivery after,
                                            int limit) {
        String sql = "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE org_id = :org"
                + " AND endpoint_id = :endpoint"
                + (after == null ? "" : " AND (created_at, delivery_id::text) < (:afterAt, :afterId)")
                + " ORDER BY created_at DESC, delivery_id::text DESC LIMIT :limit";
        var query = handle.createQuery(sql)
                .bind("org", orgId.value())
                .bind("endpoint", endpointId.value())
                .bind("limit", limit);
        if (after != null) {
            query.bind("afterAt", after.createdAt()).bind("afterId", after.id().toString());
        }
        return query.map((rs, ctx) -> delivery(rs)).list();
    }

    @Override
    public Map<WebhookDeliveryId, List<DeliveryAttempt>> attempts(OrgId orgId,
                                                                  Collection<WebhookDeliveryId> deliveryIds) {
        if (deliveryIds.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = deliveryIds.stream().map(WebhookDeliveryId::value).distinct().toList();
        Map<WebhookDeliveryId, List<DeliveryAttempt>> found = new HashMap<>();
        handle.createQuery("SELECT delivery_id FROM webhook_deliveries WHERE org_id = :org"
                        + " AND delivery_id = ANY(:ids)")
                .bind("org", orgId.value())
                .bindArray("ids", UUID.class, ids)
                .map((rs, ctx) -> new WebhookDeliveryId(Rows.uuid(rs, "delivery_id")))
                .forEach(id -> found.put(id, new ArrayList<>()));
        handle.createQuery("SELECT * FROM webhook_delivery_attempts WHERE org_id = :org AND delivery_id = ANY(:ids)"
                        + " ORDER BY delivery_id, number")
                .bind("org", orgId.value())
                .bindArray("ids", UUID.class, ids)
                .map((rs, ctx) -> attempt(rs))
                .forEach(a -> found.get(a.deliveryId()).add(a));
        Map<WebhookDeliveryId, List<DeliveryAttempt>> result = new HashMap<>();
        found.forEach((id, list) -> result.put(id, List.copyOf(list)));
        return result;
    }

    // --- rows ---

    private static WebhookEventType type(String wireName) {
        return WebhookEventType.fromWireName(wireName)
                .orElseThrow(() -> new IllegalStateException("unknown event type in the database: " + wireName));
    }

    private static WebhookEndpoint endpoint(ResultSet rs) throws SQLException {
        Array array = rs.getArray("events");
        Set<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
        Arrays.stream((String[]) array.getArray()).map(JdbiWebhookStore::type).forEach(events::add);
        return new WebhookEndpoint(new WebhookEndpointId(Rows.uuid(rs, "endpoint_id")),
                new OrgId(Rows.uuid(rs, "org_id")), rs.getString("url"), events, rs.getString("sealed_secret"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "deleted_at"));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        int code = rs.getInt("last_response_code");
        Integer responseCode = rs.wasNull() ? null : code;
        return new WebhookDelivery(new WebhookDeliveryId(Rows.uuid(rs, "delivery_id")),
                new OrgId(Rows.uuid(rs, "org_id")), new WebhookEndpointId(Rows.uuid(rs, "endpoint_id")),
                rs.getString("event_id"), type(rs.getString("event_type")),
                DeliveryStatus.fromWireName(rs.getString("status")), rs.getInt("attempts"),
                Rows.instant(rs, "next_attempt_at"), Rows.instant(rs, "give_up_at"),
                Rows.instant(rs, "last_attempt_at"), responseCode, rs.getString("last_error"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "delivered_at"));
    }

    private static DeliveryAttempt attempt(ResultSet rs) throws SQLException {
        int code = rs.getInt("response_code");
        Integer responseCode = rs.wasNull() ? null : code;
        return new DeliveryAttempt(new OrgId(Rows.uuid(rs, "org_id")),
                new WebhookDeliveryId(Rows.uuid(rs, "delivery_id")), rs.getInt("number"),
                Rows.instant(rs, "attempted_at"), responseCode, rs.getString("error"), rs.getLong("duration_millis"));
    }
}
