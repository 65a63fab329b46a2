package io.agentbilling.core.spendcontrol;

import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.webhooks.RetrySchedule;
import io.agentbilling.core.webhooks.WebhookDeliveryId;
import io.agentbilling.core.webhooks.WebhookEvent;
import java.util.Objects;

/**
 * Records events in the outbox, in the caller's transaction: the event, and a pending delivery to every endpoint of
 * the org that subscribes to it, so that an event exists exactly when the change that caused it committed. Recording
 * the same event (same cause) again changes nothing. When deliveries were queued, {@code onQueued} is told (still
 * inside the transaction) so that the delivery worker can be woken; it must not run the worker itself.
 * Thread-safe.
 */
public final class EventOutbox {
    /** An outbox that records nothing: for engines built without webhooks (unit tests of other rules). */
    public static final EventOutbox NONE = new EventOutbox(null, RetrySchedule.DEFAULT, () -> { });

    private final IdGenerator ids;
    private final RetrySchedule schedule;
    private final Runnable onQueued;

    /**
     * @param ids      delivery ids
     * @param schedule its window is how long each delivery is tried
     * @param onQueued told when a recorded event queued deliveries
     */
    public EventOutbox(IdGenerator ids, RetrySchedule schedule, Runnable onQueued) {
        this.ids = ids;
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.onQueued = Objects.requireNonNull(onQueued, "onQueued");
    }

    /** Records {@code event} (once per id) and its deliveries. */
    public void record(Stores stores, WebhookEvent event) {
        if (ids == null) {
            return;
        }
        int queued = stores.webhooks().appendEvent(event, () -> new WebhookDeliveryId(ids.newId()),
                event.createdAt().plus(schedule.window()));
        if (queued > 0) {
            onQueued.run();
        }
    }

    public RetrySchedule schedule() {
        return schedule;
    }
}
