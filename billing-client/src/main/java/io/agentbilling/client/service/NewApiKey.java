package io.agentbilling.client.service;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An API key to create for a member ({@code POST /v1/internal/orgs/{orgId}/api-keys}).
 *
 * @param test      an {@code rt_test_} key instead of {@code rt_live_}; null = false
 * @param expiresAt when the key stops working (in the future); null = never
 */
public record NewApiKey(UUID memberId, String name, Boolean test, Instant expiresAt) {
    public NewApiKey {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Creates one of the given values.
     *
     * @param memberId the member
     */
    public static NewApiKey of(UUID memberId, String name) {
        return new NewApiKey(memberId, name, null, null);
    }

    /**
     * A copy with another test.
     */
    public NewApiKey withTest(boolean testKey) {
        return new NewApiKey(memberId, name, testKey, expiresAt);
    }

    /**
     * A copy with another expires at.
     *
     * @param at the instant
     */
    public NewApiKey withExpiresAt(Instant at) {
        return new NewApiKey(memberId, name, test, at);
    }
}
