package io.agentbilling.http.server.infrastructure;

/**
 * Answers {@code /ready}: can this instance serve traffic right now (typically "does the database answer
 * {@code SELECT 1}")? Return normally when ready; throw, with a reason for the log, when not. The server bounds
 * each check by a timeout and never runs two at once, so a hanging database cannot pile up threads here.
 */
@FunctionalInterface
public interface ReadinessCheck {
    void check() throws Exception;

    /** Always ready; for tests and for a server without a database. */
    static ReadinessCheck alwaysReady() {
        return () -> { };
    }
}
