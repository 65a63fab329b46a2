package io.agentbilling.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.port.WebhookStore;
import io.agentbilling.core.webhooks.DeliveryAttempt;
import io.agentbilling.core.webhooks.DeliveryStatus;
import io.agentbilling.core.webhooks.JsonObject;
import io.agentbilling.core.webhooks.KeyedEndpoint;
import io.agentbilling.core.webhooks.WebhookDelivery;
import io.agentbilling.core.webhooks.WebhookDeliveryId;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import io.agentbilling.core.webhooks.WebhookEvent;
import io.agentbilling.core.webhooks.WebhookEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link WebhookStore} adapter must have. */
public abstract class WebhookStoreContract {
    /** Far in the past, so that the worker's cross-org claims see this class's deliveries first. */
    private static final Instant T0 = Instant.parse("2001-03-10T12:00:00.123456Z");

    /** A fresh unit-of-work factory over the adapter under test. */
    protected abstract Transactions newTransactions();

    private Transactions tx;
    private OrgId org;
    private OrgId otherOrg;

    @BeforeEach
    void world() {
        tx = newTransactions();
        org = ContractWorld.newOrg(tx);
        otherOrg = ContractWorld.newOrg(tx);
    }

    private <T> T write(Function<WebhookStore, T> work) {
        return tx.inTransaction((Stores stores) -> work.apply(stores.webhooks()));
    }

    private <T> T read(Function<WebhookStore, T> work) {
        return tx.read(stores -> work.apply(stores.webhooks()));
    }

    private WebhookEndpoint endpoint(OrgId owner, Instant at, WebhookEventType... types) {
        WebhookEndpoint endpoint = new WebhookEndpoint(new WebhookEndpointId(UUID.randomUUID()), owner,
                "https://example.com/hooks/" + UUID.randomUUID(), Set.of(types), "sealed-secret", at, null);
        write((WebhookStore s) -> { s.insertEndpoint(endpoint); return null; });
        return endpoint;
    }

    private WebhookEvent event(OrgId owner, WebhookEventType type, String cause, Instant at) {
        return WebhookEvent.of(owner, type, cause, at, new JsonObject().put("cause", cause));
    }

    private static WebhookDeliveryId newId() {
        return new WebhookDeliveryId(UUID.randomUUID());
    }

    /** This class's own deliveries among those claimed (the table is shared with other classes). */
    private List<WebhookDelivery> claim(Instant now, Instant leaseUntil) {
        return write((WebhookStore s) -> s.claimDue(now, leaseUntil, 10_000)).stream()
                .filter(d -> d.orgId().equals(org) || d.orgId().equals(otherOrg)).toList();
    }

    @Test
    void endpoints_are_read_back_exactly_and_listed_oldest_first_until_deleted() {
        WebhookEndpoint first = endpoint(org, T0, WebhookEventType.BALANCE_LOW, WebhookEventType.HOLD_EXPIRED);
        WebhookEndpoint second = endpoint(org, T0.plusSeconds(1), WebhookEventType.TOPUP_FAILED);
        endpoint(otherOrg, T0, WebhookEventType.BALANCE_LOW);
        assertThat(read((WebhookStore s) -> s.findEndpoint(org, first.id()))).contains(first);
        assertThat(read((WebhookStore s) -> s.findEndpoint(otherOrg, first.id()))).isEmpty();
        assertThat(read((WebhookStore s) -> s.endpoints(org))).containsExactly(first, second);
        WebhookEndpoint deleted = first.deleted(T0.plusSeconds(5));
        write((WebhookStore s) -> { s.deleteEndpoint(deleted); return null; });
        assertThat(read((WebhookStore s) -> s.endpoints(org))).containsExactly(second);
        assertThat(read((WebhookStore s) -> s.findEndpoint(org, first.id()))).contains(deleted);
    }

    @Test
    void an_event_is_recorded_once_with_one_delivery_per_subscribed_endpoint() {
        WebhookEndpoint wantsIt = endpoint(org, T0, WebhookEventType.BALANCE_LOW);
        endpoint(org, T0, WebhookEventType.TOPUP_FAILED);
        endpoint(otherOrg, T0, WebhookEventType.BALANCE_LOW);
        WebhookEvent event = event(org, WebhookEventType.BALANCE_LOW, "entry-1", T0.plusSeconds(1));
        Instant giveUp = T0.plusSeconds(3 * 86_400);
        assertThat(write((WebhookStore s) -> s.appendEvent(event, WebhookStoreContract::newId, giveUp))).isEqualTo(1);
        assertThat(write((WebhookStore s) -> s.appendEvent(event, WebhookStoreContract::newId, giveUp))).isZero();
        assertThat(read((WebhookStore s) -> s.findEvent(org, event.id()))).contains(event);
        assertThat(read((WebhookStore s) -> s.findEvent(otherOrg, event.id()))).isEmpty();
        List<WebhookDelivery> deliveries = read((WebhookStore s) -> s.deliveries(org, wantsIt.id(), null, 10));
        assertThat(deliveries).hasSize(1);
        WebhookDelivery delivery = deliveries.get(0);
        assertThat(delivery.eventId()).isEqualTo(event.id());
        assertThat(delivery.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(delivery.nextAttemptAt()).isEqualTo(event.createdAt());
        assertThat(delivery.giveUpAt()).isEqualTo(giveUp);
        assertThat(read((WebhookStore s) -> s.findDelivery(org, delivery.id()))).contains(delivery);
        // Nobody subscribed: recorded, nothing to deliver.
        assertThat(write((WebhookStore s) -> s.appendEvent(event(org, WebhookEventType.HOLD_EXPIRED, "h", T0),
                WebhookStoreContract::newId, giveUp))).isZero();
    }

    @Test
    void claims_take_due_deliveries_once_until_the_lease_ends() {
        WebhookEndpoint endpoint = endpoint(org, T0, WebhookEventType.BALANCE_LOW);
        write((WebhookStore s) -> s.appendEvent(event(org, WebhookEventType.BALANCE_LOW, "a", T0), WebhookStoreContract::newId,
                T0.plusSeconds(86_400)));
        write((WebhookStore s) -> s.appendEvent(event(org, WebhookEventType.BALANCE_LOW, "b", T0.plusSeconds(60)),
                WebhookStoreContract::newId, T0.plusSeconds(86_400)));
        Instant now = T0.plusSeconds(30);
        Instant lease = now.plusSeconds(120);
        List<WebhookDelivery> claimed = claim(now, lease);
        assertThat(claimed).hasSize(1);
        assertThat(claimed.get(0).nextAttemptAt()).isEqualTo(lease);
        WebhookDelivery held = claimed.get(0);
        assertThat(read((WebhookStore s) -> s.leaseOf(org, held.id()))).contains(lease);
        assertThat(read((WebhookStore s) -> s.leaseOf(otherOrg, held.id()))).isEmpty();
        assertThat(claim(now, lease)).isEmpty();
        // Both due once the lease is over (the second since T0+60).
        assertThat(claim(lease, lease.plusSeconds(120))).hasSize(2);
        // Deleted endpoints' deliveries are canceled and never claimed.
        write((WebhookStore s) -> { s.deleteEndpoint(endpoint.deleted(T0.plusSeconds(1_000))); return null; });
        assertThat(claim(T0.plusSeconds(10_000), T0.plusSeconds(10_100))).isEmpty();
        assertThat(read((WebhookStore s) -> s.deliveries(org, endpoint.id(), null, 10))).extracting(WebhookDelivery::status)
                .containsOnly(DeliveryStatus.CANCELED);
    }

    @Test
    void a_claims_lease_ends_when_its_attempt_is_recorded() {
        WebhookEndpoint endpoint = endpoint(org, T0, WebhookEventType.BALANCE_LOW);
        write((WebhookStore s) -> s.appendEvent(event(org, WebhookEventType.BALANCE_LOW, "leased", T0),
                WebhookStoreContract::newId, T0.plusSeconds(86_400)));
        WebhookDelivery delivery = read((WebhookStore s) -> s.deliveries(org, endpoint.id(), null, 1)).get(0);
        assertThat(read((WebhookStore s) -> s.leaseOf(org, delivery.id()))).isEmpty();
        Instant lease = T0.plusSeconds(121);
        WebhookDelivery claimed = claim(T0.plusSeconds(1), lease).stream()
                .filter(d -> d.id().equals(delivery.id())).findFirst().orElseThrow();
        assertThat(read((WebhookStore s) -> s.leaseOf(org, delivery.id()))).contains(lease);

        DeliveryAttempt failed = new DeliveryAttempt(org, delivery.id(), 1, T0.plusSeconds(2), 503, null, 7);
        write((WebhookStore s) -> { s.recordAttempt(failed, claimed.after(failed, T0.plusSeconds(60))); return null; });
        assertThat(read((WebhookStore s) -> s.leaseOf(org, delivery.id()))).isEmpty();
    }

    @Test
    void attempts_are_recorded_with_the_delivery_after_them_and_listed_in_order() {
        WebhookEndpoint endpoint = endpoint(org, T0, WebhookEventType.BALANCE_LOW);
        write((WebhookStore s) -> s.appendEvent(event(org, WebhookEventType.BALANCE_LOW, "a", T0), WebhookStoreContract::newId,
                T0.plusSeconds(86_400)));
        WebhookDelivery delivery = read((WebhookStore s) -> s.deliveries(org, endpoint.id(), null, 1)).get(0);
        DeliveryAttempt failed = new DeliveryAttempt(org, delivery.id(), 1, T0.plusSeconds(1), 500, null, 12);
        WebhookDelivery retrying = delivery.after(failed, T0.plusSeconds(61));
        write((WebhookStore s) -> { s.recordAttempt(failed, retrying); return null; });
        DeliveryAttempt refused = new DeliveryAttempt(org, delivery.id(), 2, T0.plusSeconds(61), null,
                "connection refused", 3);
        WebhookDelivery retrying2 = retrying.after(refused, T0.plusSeconds(300));
        write((WebhookStore s) -> { s.recordAttempt(refused, retrying2); return null; });
        DeliveryAttempt ok = new DeliveryAttempt(org, delivery.id(), 3, T0.plusSeconds(300), 204, null, 5);
        WebhookDelivery done = retrying2.after(ok, null);
        write((WebhookStore s) -> { s.recordAttempt(ok, done); return null; });

        assertThat(read((WebhookStore s) -> s.findDelivery(org, delivery.id()))).contains(done);
        assertThat(tx.inTransaction((Stores stores) -> stores.webhooks().lockDelivery(org, delivery.id()))).contains(done);
        assertThat(read((WebhookStore s) -> s.attempts(org, List.of(delivery.id(), newId()))))
                .isEqualTo(Map.of(delivery.id(), List.of(failed, refused, ok)));
        assertThat(read((WebhookStore s) -> s.attempts(otherOrg, List.of(delivery.id())))).isEmpty();
    }

    @Test
    void deliveries_page_newest_first() {
        WebhookEndpoint endpoint = endpoint(org, T0, WebhookEventType.BALANCE_LOW);
        for (int i = 0; i < 5; i++) {
            int n = i;
            write((WebhookStore s) -> s.appendEvent(event(org, WebhookEventType.BALANCE_LOW, "e" + n, T0.plusSeconds(n)),
                    WebhookStoreContract::newId, T0.plusSeconds(86_400)));
        }
        List<WebhookDelivery> firstPage = read((WebhookStore s) -> s.deliveries(org, endpoint.id(), null, 3));
        assertThat(firstPage).extracting(WebhookDelivery::createdAt)
                .containsExactly(T0.plusSeconds(4), T0.plusSeconds(3), T0.plusSeconds(2));
        List<WebhookDelivery> rest = read((WebhookStore s) -> s.deliveries(org, endpoint.id(), firstPage.get(2), 3));
        assertThat(rest).extracting(WebhookDelivery::createdAt).containsExactly(T0.plusSeconds(1), T0);
        assertThat(read((WebhookStore s) -> s.deliveries(otherOrg, endpoint.id(), null, 3))).isEmpty();
    }

    private WebhookEndpoint unsaved(OrgId owner, Instant at) {
        return new WebhookEndpoint(new WebhookEndpointId(UUID.randomUUID()), owner,
                "https://example.com/hooks/" + UUID.randomUUID(), Set.of(WebhookEventType.BALANCE_LOW),
                "sealed-secret", at, null);
    }

    @Test
    void an_idempotency_key_registers_one_endpoint_per_org_and_is_read_back_with_its_fingerprint() {
        WebhookEndpoint first = unsaved(org, T0);
        assertThat(write((WebhookStore s) -> s.insertEndpoint(first, "key-1", "fingerprint-1"))).isTrue();
        assertThat(read((WebhookStore s) -> s.findEndpointByKey(org, "key-1")))
                .contains(new KeyedEndpoint(first, "fingerprint-1"));

        WebhookEndpoint retry = unsaved(org, T0.plusSeconds(1));
        assertThat(write((WebhookStore s) -> s.insertEndpoint(retry, "key-1", "fingerprint-2"))).isFalse();
        assertThat(read((WebhookStore s) -> s.findEndpoint(org, retry.id()))).isEmpty();
        assertThat(read((WebhookStore s) -> s.findEndpointByKey(org, "key-1")))
                .contains(new KeyedEndpoint(first, "fingerprint-1"));

        WebhookEndpoint elsewhere = unsaved(otherOrg, T0);
        assertThat(write((WebhookStore s) -> s.insertEndpoint(elsewhere, "key-1", "fingerprint-1"))).isTrue();
        assertThat(read((WebhookStore s) -> s.findEndpointByKey(otherOrg, "key-1")).map(KeyedEndpoint::endpoint))
                .contains(elsewhere);
        assertThat(read((WebhookStore s) -> s.findEndpointByKey(org, "key-2"))).isEmpty();

        // Endpoints registered without a key do not collide with each other, and have no key to be found by.
        WebhookEndpoint keyless = endpoint(org, T0.plusSeconds(2), WebhookEventType.TOPUP_FAILED);
        WebhookEndpoint keylessToo = endpoint(org, T0.plusSeconds(3), WebhookEventType.TOPUP_FAILED);
        assertThat(read((WebhookStore s) -> s.endpoints(org))).containsExactly(first, keyless, keylessToo);

        // The key stays with its endpoint once deleted: a retry still finds what it registered.
        WebhookEndpoint deleted = first.deleted(T0.plusSeconds(5));
        write((WebhookStore s) -> { s.deleteEndpoint(deleted); return null; });
        assertThat(read((WebhookStore s) -> s.findEndpointByKey(org, "key-1")))
                .contains(new KeyedEndpoint(deleted, "fingerprint-1"));
        assertThat(write((WebhookStore s) -> s.insertEndpoint(unsaved(org, T0), "key-1", "fingerprint-1")))
                .isFalse();
    }

    @Test
    void of_concurrent_registrations_under_one_key_exactly_one_inserts() throws Exception {
        int writers = 4;
        List<WebhookEndpoint> candidates = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            candidates.add(unsaved(org, T0.plusSeconds(i)));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (WebhookEndpoint candidate : candidates) {
                results.add(pool.submit(() -> {
                    start.await();
                    return write((WebhookStore s) -> s.insertEndpoint(candidate, "raced", "fingerprint"));
                }));
            }
            start.countDown();
            int inserted = 0;
            for (Future<Boolean> result : results) {
                inserted += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(inserted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        WebhookEndpoint winner = read((WebhookStore s) -> s.findEndpointByKey(org, "raced")).orElseThrow().endpoint();
        assertThat(candidates).contains(winner);
        assertThat(read((WebhookStore s) -> s.endpoints(org))).containsExactly(winner);
    }
}
