package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeys;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.port.DirectoryStore;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Turns a presented API key into the caller it authenticates. A malformed key is refused without touching the
 * store; an unknown, revoked or expired key, or one whose member is gone, is empty too (the HTTP layer answers
 * 401 {@code invalid_token} for all of them, so a client cannot tell which).
 *
 * <p><b>Verified keys are cached</b>, by hash (never the key itself), for at most {@link #CACHE_FOR}: every public
 * call authenticates, and reading the key and its member for each one cost a statement per request. The bounds: a
 * key's expiry is checked against the clock on every use, so it ends exactly on time; a revocation made through this
 * instance takes effect at once ({@link RevokeApiKey} tells the cache); a revocation made through another instance
 * sharing the database takes effect here within {@link #CACHE_FOR} of real time, when the key is read again. Only
 * keys that verified are kept (a flood of wrong keys cannot fill the cache), at most {@value #MAX_CACHED} of them.
 * Thread-safe.
 */
public final class AuthenticateApiKey {
    /** How long a verified key is trusted without reading it again: the bound on a revocation made elsewhere. */
    public static final Duration CACHE_FOR = Duration.ofSeconds(1);
    static final int MAX_CACHED = 10_000;

    private record Verified(ApiKey key, Caller caller, long readAtNanos) {}

    private final Transactions transactions;
    private final Clock clock;
    private final long cacheForNanos;
    private final LongSupplier ticker;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     */
    public AuthenticateApiKey(Transactions transactions, Clock clock) {
        this(transactions, clock, CACHE_FOR);
    }

    /**
     * @param cacheFor how long a verified key is used without reading it again ({@link Duration#ZERO}: read on every
     *                 call); at most {@link #CACHE_FOR}, the documented bound
     */
    public AuthenticateApiKey(Transactions transactions, Clock clock, Duration cacheFor) {
        this(transactions, clock, cacheFor, System::nanoTime);
    }

    /** @param ticker elapsed time in nanoseconds ({@link System#nanoTime()}; a test's own) */
    AuthenticateApiKey(Transactions transactions, Clock clock, Duration cacheFor, LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (cacheFor.isNegative() || cacheFor.compareTo(CACHE_FOR) > 0) {
            throw new IllegalArgumentException("cacheFor must be between 0 and " + CACHE_FOR + ": " + cacheFor);
        }
        this.cacheForNanos = cacheFor.toNanos();
    }

    /**
     * The member a presented key acts as. Never refuses: a key that is malformed, unknown, revoked or expired is
     * empty, so that every failure looks the same to the caller.
     *
     * @param presentedKey the key as presented
     * @return the caller, or empty
     */
    public Optional<Caller> execute(String presentedKey) {
        if (!ApiKeys.isWellFormed(presentedKey)) {
            return Optional.empty();
        }
        String hash = ApiKeys.hash(presentedKey);
        long now = ticker.getAsLong();
        Verified cached = verified.get(hash);
        if (cached != null && now - cached.readAtNanos() < cacheForNanos) {
            if (cached.key().isActiveAt(clock.instant())) {
                return Optional.of(cached.caller());
            }
            verified.remove(hash, cached);
            return Optional.empty();
        }
        // One statement (key and member), outside any transaction.
        Optional<DirectoryStore.KeyHolder> holder = transactions.readOne(s -> s.directory().findApiKeyHolder(hash));
        if (holder.isEmpty() || !holder.get().key().isActiveAt(clock.instant())) {
            verified.remove(hash);
            return Optional.empty();
        }
        ApiKey key = holder.get().key();
        Caller caller = new Caller(key.orgId(), holder.get().member().id(), holder.get().member().role(), key.id());
        if (cacheForNanos > 0) {
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
            verified.put(hash, new Verified(key, caller, now));
        }
        return Optional.of(caller);
    }

    /** Forgets a key (its revocation was committed through this instance), so that its next use reads it again. */
    void forget(String keyHash) {
        verified.remove(keyHash);
    }
}
