package io.agentbilling.client.service;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An API key to create for a member ({@code POST /v1/internal/orgs/{orgId}/api-keys}).
 *
 * @param test             an {@code rt_test_} key instead of {@code rt_live_}; null = false
 * @param expiresAt        when the key stops working (in the future); null = never
 * @param monthlyCapCents  what may be spent through the key per UTC month; null = no cap
 * @param lifetimeCapCents what may be spent through the key over its life; null = no cap
 */
public record NewApiKey(UUID memberId, String name, Boolean test, Instant expiresAt, Long monthlyCapCents,
                        Long lifetimeCapCents) {
    public NewApiKey {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(name, "name");
    }

    /** A key without caps, as before caps existed. */
    public NewApiKey(UUID memberId, String name, Boolean test, Instant expiresAt) {
        this(memberId, name, test, expiresAt, null, null);
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
        return new NewApiKey(memberId, name, testKey, expiresAt, monthlyCapCents, lifetimeCapCents);
    }

    /**
     * A copy with another expires at.
     *
     * @param at the instant
     */
    public NewApiKey withExpiresAt(Instant at) {
        return new NewApiKey(memberId, name, test, at, monthlyCapCents, lifetimeCapCents);
    }

    /** Caps on what may be spent through the key; a null cap is none. */
    public NewApiKey withCaps(Long monthlyCents, Long lifetimeCents) {
        return new NewApiKey(memberId, name, test, expiresAt, monthlyCents, lifetimeCents);
    }
}
