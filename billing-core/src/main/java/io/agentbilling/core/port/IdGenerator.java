package io.agentbilling.core.port;

import java.util.UUID;

/** Ids and secrets, injectable so that tests can make them predictable. Implementations are thread-safe. */
public interface IdGenerator {

    UUID newId();

    /**
     * {@code bytes} bytes of cryptographically secure randomness.
     *
     * @param bytes how many bytes
     */
    byte[] secureRandomBytes(int bytes);
}
