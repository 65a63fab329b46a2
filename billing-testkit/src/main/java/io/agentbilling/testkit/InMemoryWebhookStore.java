package io.agentbilling.testkit;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * In-memory {@link WebhookStore}; mutations are journaled for rollback by {@link InMemoryTransactions}, whose global
 * lock serializes claims (so no two runs claim one delivery).
 */
final class InMemoryWebhookStore implements WebhookStore {
    /** Newest first, as the port orders an endpoint's deliveries. */
    private static final Comparator<WebhookDelivery> NEWEST_FIRST = Comparator
            .comparing(WebhookDelivery::createdAt).thenComparing(d -> d.id().value().toString()).reversed();

    private final InMemoryTransactions tx;
    private final Map<WebhookEndpointId, WebhookEndpoint> endpoints = new LinkedHashMap<>();
    private final Map<EndpointKey, KeyedId> endpointKeys = new HashMap<>();
    private final Map<String, WebhookEvent> events = new HashMap<>();
    private final Map<WebhookDeliveryId, WebhookDelivery> deliveries = new LinkedHashMap<>();
    private final Map<WebhookDeliveryId, List<DeliveryAttempt>> attempts = new HashMap<>();
    private final Map<WebhookDeliveryId, Instant> leases = new HashMap<>();

    InMemoryWebhookStore(InMemoryTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insertEndpoint(WebhookEndpoint endpoint) {
        tx.requireTransaction();
        if (endpoints.containsKey(endpoint.id())) {
            throw new IllegalStateException("endpoint exists: " + endpoint.id());
        }
        put(endpoints, endpoint.id(), endpoint);
    }

    @Override
    public boolean insertEndpoint(WebhookEndpoint endpoint, String idempotencyKey, String fingerprint) {
        tx.requireTransaction();
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
        EndpointKey key = new EndpointKey(endpoint.orgId(), idempotencyKey);
        if (endpointKeys.containsKey(key)) {
            return false;
        }
        insertEndpoint(endpoint);
        put(endpointKeys, key, new KeyedId(endpoint.id(), fingerprint));
        return true;
    }

    @Override
    public Optional<KeyedEndpoint> findEndpointByKey(OrgId orgId, String idempotencyKey) {
        tx.requireTransaction();
        KeyedId found = endpointKeys.get(new EndpointKey(orgId, idempotencyKey));
        return found == null ? Optional.empty()
                : Optional.of(new KeyedEndpoint(endpoints.get(found.id()), found.fingerprint()));
    }

    private record EndpointKey(OrgId orgId, String idempotencyKey) {}

    private record KeyedId(WebhookEndpointId id, String fingerprint) {}

    @Override
    public Optional<WebhookEndpoint> findEndpoint(OrgId orgId, WebhookEndpointId id) {
        tx.requireTransaction();
        return Optional.ofNullable(endpoints.get(id)).filter(e -> e.orgId().equals(orgId));
    }

    @Override
    public List<WebhookEndpoint> endpoints(OrgId orgId) {
        tx.requireTransaction();
        return endpoints.values().stream().filter(e -> e.orgId().equals(orgId) && !e.isDeleted())
                .sorted(Comparator.comparing(WebhookEndpoint::createdAt)
                        .thenComparing(e -> e.id().value().toString())).toList();
    }

    @Override
    public void deleteEndpoint(WebhookEndpoint deleted) {
        tx.requireTransaction();
        put(endpoints, deleted.id(), deleted);
        for (WebhookDelivery delivery : List.copyOf(deliveries.values())) {
            if (delivery.orgId().equals(deleted.orgId()) && delivery.endpointId().equals(deleted.id())
                    && delivery.status() == DeliveryStatus.PENDING) {
                put(deliveries, delivery.id(), delivery.canceled(deleted.deletedAt()));
            }
        }
    }

    @Override
    public int appendEvent(WebhookEvent event, Supplier<WebhookDeliveryId> deliveryIds, Instant giveUpAt) {
        tx.requireTransaction();
        String key = event.orgId() + "/" + event.id();
        if (events.containsKey(key)) {
            return 0;
        }
        put(events, key, event);
        int created = 0;
        for (WebhookEndpoint endpoint : endpoints(event.orgId())) {
            if (endpoint.wants(event.type())) {
                WebhookDelivery delivery = WebhookDelivery.of(deliveryIds.get(), endpoint.id(), event, giveUpAt);
                put(deliveries, delivery.id(), delivery);
                created++;
            }
        }
        return created;
    }

    @Override
    public Optional<WebhookEvent> findEvent(OrgId orgId, String eventId) {
        tx.requireTransaction();
        return Optional.ofNullable(events.get(orgId + "/" + eventId));
    }

    @Override
    public List<WebhookDelivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        tx.requireTransaction();
        List<WebhookDelivery> due = deliveries.values().stream()
                .filter(d -> d.status() == DeliveryStatus.PENDING && !d.nextAttemptAt().isAfter(now))
                .filter(d -> !endpoints.get(d.endpointId()).isDeleted())
                .sorted(Comparator.comparing(WebhookDelivery::nextAttemptAt)
                        .thenComparing(d -> d.id().value().toString()))
                .limit(limit).toList();
        List<WebhookDelivery> claimed = new ArrayList<>();
        for (WebhookDelivery d : due) {
            WebhookDelivery leased = new WebhookDelivery(d.id(), d.orgId(), d.endpointId(), d.eventId(),
                    d.eventType(), d.status(), d.attempts(), leaseUntil, d.giveUpAt(), d.lastAttemptAt(),
                    d.lastResponseCode(), d.lastError(), d.createdAt(), d.deliveredAt());
            put(deliveries, d.id(), leased);
            put(leases, d.id(), leaseUntil);
            claimed.add(leased);
        }
        return claimed;
    }

    @Override
    public void recordAttempt(DeliveryAttempt attempt, WebhookDelivery after) {
        tx.requireTransaction();
        List<DeliveryAttempt> previous = attempts.getOrDefault(attempt.deliveryId(), List.of());
        if (previous.stream().anyMatch(a -> a.number() == attempt.number())) {
            throw new IllegalStateException("attempt " + attempt.number() + " of " + attempt.deliveryId() + " exists");
        }
        List<DeliveryAttempt> next = new ArrayList<>(previous);
        next.add(attempt);
        put(attempts, attempt.deliveryId(), List.copyOf(next));
        updateDelivery(after);
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(OrgId orgId, WebhookDeliveryId id) {
        tx.requireTransaction();
        return Optional.ofNullable(deliveries.get(id)).filter(d -> d.orgId().equals(orgId));
    }

    @Override
    public Optional<WebhookDelivery> lockDelivery(OrgId orgId, WebhookDeliveryId id) {
        return findDelivery(orgId, id);
    }

    @Override
    public void updateDelivery(WebhookDelivery delivery) {
        tx.requireTransaction();
        WebhookDelivery stored = deliveries.get(delivery.id());
        if (stored == null || !stored.orgId().equals(delivery.orgId())) {
            throw new IllegalStateException("no delivery " + delivery.id());
        }
        put(deliveries, delivery.id(), delivery);
        Instant lease = leases.remove(delivery.id());
        if (lease != null) {
            tx.onRollback(() -> leases.put(delivery.id(), lease));
        }
    }

    @Override
    public Optional<Instant> leaseOf(OrgId orgId, WebhookDeliveryId id) {
        tx.requireTransaction();
        return findDelivery(orgId, id).map(d -> leases.get(d.id()));
    }

    @Override
    public List<WebhookDelivery> deliveries(OrgId orgId, WebhookEndpointId endpointId, WebhookDelivery after,
                                            int limit) {
        tx.requireTransaction();
        return deliveries.values().stream()
                .filter(d -> d.orgId().equals(orgId) && d.endpointId().equals(endpointId))
                .sorted(NEWEST_FIRST)
                .filter(d -> after == null || NEWEST_FIRST.compare(d, after) > 0)
                .limit(limit).toList();
    }

    @Override
    public Map<WebhookDeliveryId, List<DeliveryAttempt>> attempts(OrgId orgId,
                                                                  Collection<WebhookDeliveryId> deliveryIds) {
        tx.requireTransaction();
        Map<WebhookDeliveryId, List<DeliveryAttempt>> found = new HashMap<>();
        for (WebhookDeliveryId id : deliveryIds) {
            WebhookDelivery delivery = deliveries.get(id);
            if (delivery != null && delivery.orgId().equals(orgId)) {
                found.put(id, attempts.getOrDefault(id, List.of()));
            }
        }
        return found;
    }

    private <K, V> void put(Map<K, V> map, K key, V value) {
        V previous = map.put(key, Objects.requireNonNull(value));
        tx.onRollback(() -> {
            if (previous == null) {
                map.remove(key);
            } else {
                map.put(key, previous);
            }
        });
    }
}
