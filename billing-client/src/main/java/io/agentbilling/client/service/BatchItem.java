package io.agentbilling.client.service;

import io.agentbilling.client.FieldIssue;
import java.util.List;

/**
 * The outcome of one event of a usage batch, in request order.
 *
 * @param index  the event's position in the request, from 0
 * @param status what the event's own endpoint would have answered: 200, or 400, 404, 409, 422…
 * @param result the charge when {@code status} is 200 (with {@code replayed}), else null
 * @param error  why the event was refused, else null
 */
public record BatchItem(int index, int status, Charge result, Error error) {

    /** A refused event's error, as in the error envelope. */
    public record Error(String code, String message, List<FieldIssue> details) {
        public Error {
            details = details == null ? List.of() : List.copyOf(details);
        }
    }

    /**
     * @return true when it did
     */
    public boolean settled() {
        return status == 200 && result != null;
    }
}
