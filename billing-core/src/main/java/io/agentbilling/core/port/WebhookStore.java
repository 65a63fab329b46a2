package io.agentbilling.core.port;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.webhooks.DeliveryAttempt;
import io.agentbilling.core.webhooks.KeyedEndpoint;
import io.agentbilling.core.webhooks.WebhookDelivery;
import io.agentbilling.core.webhooks.WebhookDeliveryId;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import io.agentbilling.core.webhooks.WebhookEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Outbound webhooks: an org's endpoints, its events (the outbox, written in the transaction of the change that
 * caused them), one delivery per event and subscribed endpoint, and each delivery's attempts. Obtained from
 * {@link Stores} inside a {@link Transactions} unit of work; every method joins that transaction.
 */
public interface WebhookStore {

    /** Stores an endpoint registered without an idempotency key. */
    void insertEndpoint(WebhookEndpoint endpoint);

    /**
     * Stores an endpoint registered under an idempotency key, unless the org already has one under that key (the
     * store keeps the key unique per org, so that of two concurrent registrations with one key exactly one inserts).
     *
     * @param fingerprint the registering request's fingerprint, read back by {@link #findEndpointByKey}
     * @return true when inserted; false when the key was taken (nothing is stored then)
     */
    boolean insertEndpoint(WebhookEndpoint endpoint, String idempotencyKey, String fingerprint);

    /** The endpoint of the org registered under this idempotency key (deleted or not), with its fingerprint. */
    Optional<KeyedEndpoint> findEndpointByKey(OrgId orgId, String idempotencyKey);

    /** An endpoint of the org, deleted or not. */
    Optional<WebhookEndpoint> findEndpoint(OrgId orgId, WebhookEndpointId id);

    /** The org's live endpoints, oldest first. */
    List<WebhookEndpoint> endpoints(OrgId orgId);

    /** Stores an endpoint's deletion and cancels its pending deliveries. */
    void deleteEndpoint(WebhookEndpoint deleted);

    /**
     * Records an event unless the org already has one with its id, and a pending delivery of it to each live
     * endpoint of the org that subscribes to its type (ids from {@code deliveryIds}, due at the event's time, given
     * up at {@code giveUpAt}). One round trip where the store can.
     *
     * @return the deliveries created (0 for an event recorded before, or one nobody subscribes to)
     */
    int appendEvent(WebhookEvent event, Supplier<WebhookDeliveryId> deliveryIds, Instant giveUpAt);

    Optional<WebhookEvent> findEvent(OrgId orgId, String eventId);

    /**
     * Claims up to {@code limit} pending deliveries due at {@code now}, across orgs, oldest due first, skipping rows
     * another worker has locked, and moves their next attempt to {@code leaseUntil} so that no other worker takes
     * them meanwhile (a worker that dies leaves them due again then). Deliveries of deleted endpoints are not claimed.
     */
    List<WebhookDelivery> claimDue(Instant now, Instant leaseUntil, int limit);

    /** Records an attempt and the delivery's state after it; the claim's lease ends. */
    void recordAttempt(DeliveryAttempt attempt, WebhookDelivery after);

    Optional<WebhookDelivery> findDelivery(OrgId orgId, WebhookDeliveryId id);

    /** The delivery, locked for the rest of the transaction. */
    Optional<WebhookDelivery> lockDelivery(OrgId orgId, WebhookDeliveryId id);

    /** Stores the delivery's new state; a lease its claim held ends (the attempt it covered is recorded). */
    void updateDelivery(WebhookDelivery delivery);

    /**
     * Until when the worker that last claimed the delivery holds it, while it has not recorded the attempt it claimed
     * it for (empty once it has, or if never claimed): until then an attempt may be on its way to the endpoint.
     */
    Optional<Instant> leaseOf(OrgId orgId, WebhookDeliveryId id);

    /**
     * An endpoint's deliveries, newest first (by creation, then id), after {@code after} (exclusive; null = from the
     * newest), at most {@code limit}.
     */
    List<WebhookDelivery> deliveries(OrgId orgId, WebhookEndpointId endpointId, WebhookDelivery after, int limit);

    /** The attempts of these deliveries of the org, each list in attempt order. */
    Map<WebhookDeliveryId, List<DeliveryAttempt>> attempts(OrgId orgId, Collection<WebhookDeliveryId> deliveryIds);
}
