package io.agentbilling.core.port;

import java.security.SecureRandom;
import java.util.UUID;

/** The production {@link IdGenerator}: random UUIDs and {@link SecureRandom} bytes. Thread-safe. */
public final class SecureIdGenerator implements IdGenerator {
    private final SecureRandom random = new SecureRandom();

    @Override
    public UUID newId() {
        return UUID.randomUUID();
    }

    @Override
    public byte[] secureRandomBytes(int bytes) {
        byte[] out = new byte[bytes];
        random.nextBytes(out);
        return out;
    }
}
