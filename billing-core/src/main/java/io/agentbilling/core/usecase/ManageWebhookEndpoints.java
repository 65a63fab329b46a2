package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spendcontrol.EventOutbox;
import io.agentbilling.core.webhooks.DeliveryHistory;
import io.agentbilling.core.webhooks.DeliveryStatus;
import io.agentbilling.core.webhooks.WebhookDelivery;
import io.agentbilling.core.webhooks.WebhookDeliveryId;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import io.agentbilling.core.spend.UtcPeriods;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An admin's reads and changes of the org's webhook endpoints after creation ({@code GET}, {@code DELETE
 * /v1/billing/webhook-endpoints/{id}}, its deliveries and their manual retry). Admins only; an endpoint or delivery
 * of another org is {@code NOT_FOUND}, like an unknown one. Thread-safe.
 */
public final class ManageWebhookEndpoints {
    public static final int MAX_PAGE = 100;
    public static final int DEFAULT_PAGE = 20;

    private final Transactions transactions;
    private final Clock clock;
    private final EventOutbox outbox;
    private final Runnable onRetry;

    /** @param onRetry told (inside the transaction) when a delivery was queued again, to wake the delivery worker */
    public ManageWebhookEndpoints(Transactions transactions, Clock clock, EventOutbox outbox, Runnable onRetry) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.onRetry = Objects.requireNonNull(onRetry, "onRetry");
    }

    /** The org's live endpoints, oldest first. */
    public List<WebhookEndpoint> list(Caller caller, OrgId requestedOrg) {
        OrgId orgId = admin(caller, requestedOrg);
        return transactions.read(stores -> stores.webhooks().endpoints(orgId));
    }

    /** @throws BillingException {@code NOT_FOUND} for an unknown or deleted endpoint */
    public WebhookEndpoint get(Caller caller, WebhookEndpointId id) {
        OrgId orgId = admin(caller, null);
        return transactions.read(stores -> stores.webhooks().findEndpoint(orgId, id)
                .filter(e -> !e.isDeleted()).orElseThrow(() -> BillingException.notFound("webhook endpoint")));
    }

    /**
     * Deletes an endpoint: nothing more is sent to it, and its pending deliveries are canceled. Deleting it again
     * answers the same.
     *
     * @throws BillingException {@code NOT_FOUND} for an unknown endpoint
     */
    public WebhookEndpoint delete(Caller caller, WebhookEndpointId id) {
        OrgId orgId = admin(caller, null);
        return transactions.inTransaction(stores -> {
            WebhookEndpoint endpoint = stores.webhooks().findEndpoint(orgId, id)
                    .orElseThrow(() -> BillingException.notFound("webhook endpoint"));
            if (endpoint.isDeleted()) {
                return endpoint;
            }
            WebhookEndpoint deleted = endpoint.deleted(UtcPeriods.now(clock));
            stores.webhooks().deleteEndpoint(deleted);
            return deleted;
        });
    }

    /** A page of an endpoint's deliveries, newest first, with their attempts. */
    public record Page(List<DeliveryHistory> deliveries, boolean hasMore, String nextCursor) {}

    /**
     * @param limit  1..{@value #MAX_PAGE}; null = {@value #DEFAULT_PAGE}
     * @param cursor the previous page's {@code nextCursor}; null for the newest
     * @throws BillingException {@code NOT_FOUND} for an unknown endpoint (deleted ones keep their history);
     *                          {@code BAD_REQUEST} naming {@code cursor} for one that is not this endpoint's
     */
    public Page deliveries(Caller caller, WebhookEndpointId id, Integer limit, String cursor) {
        OrgId orgId = admin(caller, null);
        int pageSize = limit == null ? DEFAULT_PAGE : limit;
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw BillingException.invalid("limit", "must be between 1 and " + MAX_PAGE);
        }
        return transactions.read(stores -> {
            stores.webhooks().findEndpoint(orgId, id).orElseThrow(() -> BillingException.notFound("webhook endpoint"));
            WebhookDelivery after = cursor == null ? null : cursorDelivery(stores, orgId, id, cursor);
            List<WebhookDelivery> page = stores.webhooks().deliveries(orgId, id, after, pageSize + 1);
            boolean more = page.size() > pageSize;
            List<WebhookDelivery> shown = more ? page.subList(0, pageSize) : page;
            Map<WebhookDeliveryId, List<io.agentbilling.core.webhooks.DeliveryAttempt>> attempts =
                    stores.webhooks().attempts(orgId, shown.stream().map(WebhookDelivery::id).toList());
            List<DeliveryHistory> histories = new ArrayList<>();
            shown.forEach(d -> histories.add(new DeliveryHistory(d, attempts.getOrDefault(d.id(), List.of()))));
            return new Page(histories, more, more ? shown.get(shown.size() - 1).id().toString() : null);
        });
    }

    /**
     * Queues a delivery to be sent again now (whatever its state but canceled), with a fresh retry window. Not while
     * a worker holds it: an attempt may then be on its way, and making the delivery due at once would let another
     * instance send it at the same time; the admin retries once that attempt is recorded (or its lease ran out).
     *
     * @throws BillingException {@code NOT_FOUND} for an unknown endpoint or delivery; {@code CONFLICT} for a
     *                          delivery canceled by the endpoint's deletion, or one whose attempt is being sent
     */
    public DeliveryHistory retry(Caller caller, WebhookEndpointId endpointId, WebhookDeliveryId deliveryId) {
        OrgId orgId = admin(caller, null);
        return transactions.inTransaction(stores -> {
            WebhookEndpoint endpoint = stores.webhooks().findEndpoint(orgId, endpointId)
                    .orElseThrow(() -> BillingException.notFound("webhook endpoint"));
            WebhookDelivery delivery = stores.webhooks().lockDelivery(orgId, deliveryId)
                    .filter(d -> d.endpointId().equals(endpointId))
                    .orElseThrow(() -> BillingException.notFound("delivery"));
            if (endpoint.isDeleted() || delivery.status() == DeliveryStatus.CANCELED) {
                throw BillingException.of(BillingError.CONFLICT, "the endpoint was deleted; nothing is sent to it");
            }
            Instant now = UtcPeriods.now(clock);
            if (stores.webhooks().leaseOf(orgId, deliveryId).filter(now::isBefore).isPresent()) {
                throw BillingException.of(BillingError.CONFLICT,
                        "an attempt of this delivery is being sent; retry it when that attempt is recorded");
            }
            WebhookDelivery queued = delivery.retriedManually(now, now.plus(outbox.schedule().window()));
            stores.webhooks().updateDelivery(queued);
            onRetry.run();
            return new DeliveryHistory(queued, stores.webhooks().attempts(orgId, List.of(deliveryId))
                    .getOrDefault(deliveryId, List.of()));
        });
    }

    private static WebhookDelivery cursorDelivery(io.agentbilling.core.port.Stores stores, OrgId orgId,
                                                  WebhookEndpointId id, String cursor) {
        Optional<WebhookDeliveryId> deliveryId;
        try {
            deliveryId = Optional.of(WebhookDeliveryId.of(cursor)).filter(d -> d.toString().equalsIgnoreCase(cursor));
        } catch (IllegalArgumentException e) {
            deliveryId = Optional.empty();
        }
        return deliveryId.flatMap(d -> stores.webhooks().findDelivery(orgId, d))
                .filter(d -> d.endpointId().equals(id))
                .orElseThrow(() -> BillingException.invalid("cursor", "is not a cursor of this endpoint's deliveries"));
    }

    private static OrgId admin(Caller caller, OrgId requestedOrg) {
        caller.requireAdmin();
        return caller.resolveOrg(requestedOrg);
    }
}
