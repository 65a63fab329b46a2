package io.agentbilling.bench;

/** Deterministic pseudo-random choices, so that an event can be rebuilt byte for byte from its number (replays). */
final class Mix {
    private Mix() {}

    /** SplitMix64's finaliser. */
    static long hash(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static int index(long x, int size) {
        return (int) Long.remainderUnsigned(hash(x), size);
    }
}
