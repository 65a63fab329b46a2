package io.agentbilling.client;

import java.time.Duration;

/**
 * A call is about to be retried: for logs and metrics ({@code BillingServiceClient.Builder#onRetry}).
 *
 * @param method         the HTTP method
 * @param path           the path (and query) called
 * @param attempt        the attempt that failed, from 1
 * @param status         its HTTP status (429, 503), or 0 when no answer came
 * @param reason         the error code, or the transport failure's description
 * @param delay          how long the client waits before the next attempt
 * @param idempotencyKey the key the retry carries again; null for reads and calls without one
 */
public record RetryEvent(String method, String path, int attempt, int status, String reason, Duration delay,
                         String idempotencyKey) {
}
