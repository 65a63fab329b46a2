package io.agentbilling.testkit;

import io.agentbilling.core.port.IdGenerator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Predictable ids (00000000-0000-0000-0000-000000000001, …) and not-at-all-random "secure" bytes. Thread-safe. */
public final class SequentialIds implements IdGenerator {
    private final AtomicLong next = new AtomicLong();

    @Override
    public UUID newId() {
        return new UUID(0, next.incrementAndGet());
    }

    @Override
    public byte[] secureRandomBytes(int bytes) {
        byte[] out = new byte[bytes];
        long n = next.incrementAndGet();
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (n >>> (8 * (i % 8)) ^ i);
        }
        return out;
    }
}
