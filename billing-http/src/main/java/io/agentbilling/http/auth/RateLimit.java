package io.agentbilling.http.auth;

/**
 * The public API's rate limit per API key: a token bucket that refills at {@code requestsPerSecond} and holds at most
 * {@code burst} requests. Either at 0 turns the limit off.
 */
public record RateLimit(int requestsPerSecond, int burst) {
    public static final RateLimit DEFAULT = new RateLimit(50, 100);
    public static final RateLimit OFF = new RateLimit(0, 0);

    public RateLimit {
        if (requestsPerSecond < 0 || burst < 0) {
            throw new IllegalArgumentException("rate limits cannot be negative");
        }
    }

    public boolean enabled() {
        return requestsPerSecond > 0 && burst > 0;
    }

    @Override
    public String toString() {
        return enabled() ? requestsPerSecond + "/s, burst " + burst : "off";
    }
}
