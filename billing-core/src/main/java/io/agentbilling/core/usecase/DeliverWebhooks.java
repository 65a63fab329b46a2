package io.agentbilling.core.usecase;

import io.agentbilling.core.port.SecretSealer;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.port.WebhookSender;
import io.agentbilling.core.webhooks.DeliveryAttempt;
import io.agentbilling.core.webhooks.DeliveryStatus;
import io.agentbilling.core.webhooks.RetrySchedule;
import io.agentbilling.core.webhooks.WebhookDelivery;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEvent;
import io.agentbilling.core.spend.UtcPeriods;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The delivery worker's step (run by the background jobs, and woken when events are queued): claims due deliveries
 * (a lease, so that other instances skip them), sends each outside any transaction through the
 * {@link WebhookSender}, and records the attempt and the delivery's next state: delivered on a 2xx, otherwise due
 * again after the {@link RetrySchedule}'s backoff until its window (3 days) closes, then failed. Delivery is at least
 * once: a worker that dies after sending leaves the delivery to be sent again when its lease runs out, and receivers
 * deduplicate by the event id. Nothing here runs in a settlement's path: settlements only write the outbox.
 * Thread-safe.
 */
public final class DeliverWebhooks {
    /** Deliveries claimed per run at most; the next run takes the rest. */
    public static final int MAX_PER_RUN = 100;

    private final Transactions transactions;
    private final WebhookSender sender;
    private final SecretSealer sealer;
    private final Clock clock;
    private final RetrySchedule schedule;
    private final Duration lease;

    /**
     * @param lease how long a claimed delivery is left to its worker before another may send it again; longer than
     *              a send can take
     */
    public DeliverWebhooks(Transactions transactions, WebhookSender sender, SecretSealer sealer, Clock clock,
                           RetrySchedule schedule, Duration lease) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    /** What a run did: deliveries attempted, delivered, failed for good. */
    public record Result(int attempted, int delivered, int failed) {}

    /** One claimed delivery with what it takes to send it (null endpoint or event: nothing to send). */
    private record Claimed(WebhookDelivery delivery, WebhookEndpoint endpoint, WebhookEvent event) {}

    /**
     * Sends the deliveries due now, at most {@code limit}, one after another on this thread.
     *
     * @param limit 1..{@value #MAX_PER_RUN}
     */
    public Result execute(int limit) {
        return execute(limit, Runnable::run);
    }

    /**
     * Sends the deliveries due now, at most {@code limit}, on {@code sends} (a pool sends them in parallel, so one
     * slow receiver does not hold up the others), and waits for them.
     *
     * @param limit 1..{@value #MAX_PER_RUN}
     */
    public Result execute(int limit, Executor sends) {
        Objects.requireNonNull(sends, "sends");
        if (limit < 1 || limit > MAX_PER_RUN) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_PER_RUN);
        }
        Instant now = UtcPeriods.now(clock);
        List<Claimed> claimed = transactions.inTransaction(stores -> {
            List<Claimed> found = new ArrayList<>();
            for (WebhookDelivery delivery : stores.webhooks().claimDue(now, now.plus(lease), limit)) {
                found.add(new Claimed(delivery,
                        stores.webhooks().findEndpoint(delivery.orgId(), delivery.endpointId()).orElse(null),
                        stores.webhooks().findEvent(delivery.orgId(), delivery.eventId()).orElse(null)));
            }
            return found;
        });
        List<CompletableFuture<DeliveryStatus>> results = new ArrayList<>();
        for (Claimed c : claimed) {
            results.add(CompletableFuture.supplyAsync(() -> deliver(c), sends));
        }
        int delivered = 0;
        int failed = 0;
        for (CompletableFuture<DeliveryStatus> result : results) {
            DeliveryStatus status = result.join();
            delivered += status == DeliveryStatus.SUCCEEDED ? 1 : 0;
            failed += status == DeliveryStatus.FAILED ? 1 : 0;
        }
        return new Result(claimed.size(), delivered, failed);
    }

    private DeliveryStatus deliver(Claimed c) {
        Instant at = UtcPeriods.now(clock);
        WebhookSender.Outcome outcome;
        if (c.endpoint() == null || c.event() == null || c.endpoint().isDeleted()) {
            outcome = WebhookSender.Outcome.failed("the endpoint was deleted", 0);
        } else {
            outcome = send(c);
        }
        return transactions.inTransaction(stores -> {
            Optional<WebhookDelivery> locked = stores.webhooks().lockDelivery(c.delivery().orgId(), c.delivery().id());
            if (locked.isEmpty()) {
                return DeliveryStatus.CANCELED;
            }
            WebhookDelivery current = locked.get();
            DeliveryAttempt attempt = new DeliveryAttempt(current.orgId(), current.id(), current.attempts() + 1, at,
                    outcome.statusCode(), outcome.error(), outcome.durationMillis());
            WebhookDelivery after;
            if (current.status() == DeliveryStatus.CANCELED || c.endpoint() == null || c.endpoint().isDeleted()) {
                after = current.status() == DeliveryStatus.CANCELED ? current : current.canceled(at);
            } else {
                Instant retryAt = attempt.succeeded() ? null
                        : schedule.nextAttempt(attempt.number(), UtcPeriods.now(clock), current.giveUpAt());
                after = current.after(attempt, retryAt);
            }
            stores.webhooks().recordAttempt(attempt, after);
            return after.status();
        });
    }

    private WebhookSender.Outcome send(Claimed c) {
        String secret;
        try {
            secret = sealer.open(c.endpoint().sealedSecret());
        } catch (RuntimeException e) {
            return WebhookSender.Outcome.failed("the signing secret cannot be opened: " + e.getMessage(), 0);
        }
        try {
            return sender.send(new WebhookSender.Request(URI.create(c.endpoint().url()), secret, c.event().id(),
                    c.event().type().wireName(), c.event().body()));
        } catch (RuntimeException e) {
            return WebhookSender.Outcome.failed("sending failed: " + e, 0);
        }
    }
}
