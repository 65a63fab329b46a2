package io.agentbilling.client;

/**
 * {@code report} could not spool the event: the reporter already holds its maximum of unsettled events (the server has
 * been unreachable or slow for a while) and none was settled within the configured wait. Nothing was spooled; the
 * caller decides (keep the event elsewhere, fail the work, report it again later with the same key).
 */
public final class SpoolFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a spool full exception.
     *
     * @param message a sentence for a person
     */
    public SpoolFullException(String message) {
        super(message);
    }
}
