package io.agentbilling.client;

/**
 * A snapshot of a {@link UsageReporter}'s counters. Counts are since this reporter started, except the spool's,
 * which are its state now.
 *
 * @param queued      events spooled and waiting to be sent
 * @param inFlight    events in a batch being sent or retried
 * @param spoolEvents events in the spool not yet settled or refused ({@code queued + inFlight})
 * @param spoolBytes  the size of the spool's log file
 * @param reported    events accepted by {@code report}/{@code reportAll}
 * @param recovered   events found pending in the spool when the reporter started (and sent again)
 * @param sent        events the server settled (a replay included)
 * @param replayed    of {@code sent}, those the server answered as replays (already settled under their key: by an
 *                    earlier attempt whose answer was lost, or by a previous run)
 * @param rejected    events the server refused (dead-lettered, never sent again)
 * @param retried     event sends that had to be repeated (the batch or the event failed transiently)
 * @param batches     batch requests answered by the server
 * @param corruptBytesSkipped bytes of the spool that could not be read when the reporter started (a torn write)
 * @param lastError   the last failure of a batch request, null when the last one succeeded
 */
public record ReporterMetrics(long queued, long inFlight, long spoolEvents, long spoolBytes, long reported,
                              long recovered, long sent, long replayed, long rejected, long retried, long batches,
                              long corruptBytesSkipped, String lastError) {
}
