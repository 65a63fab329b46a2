package io.agentbilling.core.usecase;

import io.agentbilling.core.settlement.internal.Settler;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.settlement.internal.PostingEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settles up to {@value #MAX_EVENTS} mixed usage events in one unit of work (one {@link Settler#settle} call),
 * returning one outcome per event, in order. Each event is validated and priced on its own, the posting engine
 * rejects per request, and the settler keeps a transaction that fails because of one request to that request, so a
 * bad event (invalid, unknown model, unknown org, key conflict, an amount the ledger cannot take, anything the
 * database refuses) never sinks the others. Thread-safe.
 */
public final class SettleUsageBatch {
    public static final int MAX_EVENTS = 1_000;

    private final SettlementPricer pricer;
    private final Settler settler;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param pricer prices settlement commands
     * @param settler where settlements go
     */
    public SettleUsageBatch(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /**
     * An event's result, or why it was refused (with the offending fields for a validation error, and for an internal
     * error its {@code cause}, for the log only).
     */
    public record Outcome(SettlementResult result, BillingError error, String message, List<FieldIssue> details,
                          Throwable cause) {
        /**
         * @param cause the underlying failure, kept for the log
         * @param details the fields at fault
         * @param error the kind of error
         * @param message a sentence for a person
         */
        public Outcome {
            if ((result == null) == (error == null)) {
                throw new IllegalArgumentException("an outcome is a result or an error");
            }
            details = details == null ? List.of() : List.copyOf(details);
        }

        static Outcome settled(SettlementResult result) {
            return new Outcome(result, null, null, List.of(), null);
        }

        static Outcome refused(BillingException e) {
            return new Outcome(null, e.error(), e.getMessage(), e.details(), e.getCause());
        }

        public boolean isRefused() {
            return error != null;
        }
    }

    /**
     * Settles the events; each is refused on its own, with the error the single settlement of its kind would throw
     * ({@link SettleModelUsage#execute} and its siblings), in its {@link Outcome}.
     *
     * @param events 1 to {@value #MAX_EVENTS} events; a null element is refused on its own as malformed
     * @return one outcome per event, in order
     * @throws BillingException {@code BAD_REQUEST} naming {@code events} for none or more than {@value #MAX_EVENTS};
     *                          {@code UNAVAILABLE} when the settlement did not complete in time or the queue is full
     *                          (retry with the same keys)
     */
    public List<Outcome> execute(List<SettlementCommand> events) {
        if (events == null || events.isEmpty() || events.size() > MAX_EVENTS) {
            throw BillingException.invalid("events", "must hold 1 to " + MAX_EVENTS + " events");
        }
        Outcome[] outcomes = new Outcome[events.size()];
        List<PostingEngine.Request> requests = new ArrayList<>();
        List<Integer> requestIndexes = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                requests.add(pricer.request(events.get(i)));
                requestIndexes.add(i);
            } catch (BillingException e) {
                outcomes[i] = Outcome.refused(e);
            }
        }
        if (!requests.isEmpty()) {
            List<PostingEngine.Result> results = settler.settle(requests);
            if (results.size() != requests.size()) {
                throw new IllegalStateException("posted " + requests.size() + " requests, got " + results.size());
            }
            for (int n = 0; n < results.size(); n++) {
                outcomes[requestIndexes.get(n)] = outcome(results.get(n));
            }
        }
        return List.of(outcomes);
    }

    private static Outcome outcome(PostingEngine.Result result) {
        try {
            return Outcome.settled(SettlementResult.of(result));
        } catch (BillingException e) {
            return Outcome.refused(e);
        }
    }
}
