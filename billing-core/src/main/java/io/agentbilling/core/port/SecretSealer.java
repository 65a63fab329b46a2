package io.agentbilling.core.port;

/**
 * Keeps webhook signing secrets unreadable at rest: the engine stores what {@link #seal} returns and opens it again
 * to sign (e.g. AES-256-GCM under a key kept outside the database). {@link #PLAIN} stores them as they are, for
 * tests and for deployments that protect the database otherwise; the standalone server uses it for now.
 * Implementations are thread-safe.
 */
public interface SecretSealer {

    String seal(String secret);

    /**
     * @throws IllegalStateException when {@code sealed} was not sealed by this sealer's key
     */
    String open(String sealed);

    /** No sealing: the secret is stored as it is, marked {@code plain:}. */
    SecretSealer PLAIN = new SecretSealer() {
        private static final String PREFIX = "plain:";

        @Override
        public String seal(String secret) {
            return PREFIX + secret;
        }

        @Override
        public String open(String sealed) {
            if (!sealed.startsWith(PREFIX)) {
                throw new IllegalStateException("this secret was sealed with a key; configure the same key to open it");
            }
            return sealed.substring(PREFIX.length());
        }
    };
}
