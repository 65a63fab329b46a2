package io.agentbilling.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InternalSecretVerifierTest {
    private static final String ROTATING_OUT = "old-secret-0123456789abcdef";
    private static final String ROTATING_IN = "new-secret-0123456789abcdef";
    private final InternalSecretVerifier verifier = new InternalSecretVerifier(List.of(
            new InternalCredential("old", ROTATING_OUT), new InternalCredential("new", ROTATING_IN)));

    @Test
    void each_credential_is_recognised_by_name() {
        assertThat(verifier.verify(ROTATING_OUT)).contains("old");
        assertThat(verifier.verify(ROTATING_IN)).contains("new");
    }

    @Test
    void near_misses_are_refused() {
        assertThat(verifier.verify(null)).isEmpty();
        assertThat(verifier.verify("")).isEmpty();
        assertThat(verifier.verify(ROTATING_IN + " ")).isEmpty();
        assertThat(verifier.verify(ROTATING_IN.substring(1))).isEmpty();
        assertThat(verifier.verify(ROTATING_IN.toUpperCase())).isEmpty();
        assertThat(verifier.verify(ROTATING_IN + ROTATING_OUT)).isEmpty();
    }

    @Test
    void none_configured_refuses_everything() {
        assertThat(new InternalSecretVerifier(List.of()).verify(ROTATING_IN)).isEmpty();
    }

    @Test
    void credentials_are_checked_when_configured() {
        assertThatThrownBy(() -> new InternalSecretVerifier(List.of(new InternalCredential("a", ROTATING_IN),
                new InternalCredential("a", ROTATING_OUT)))).hasMessageContaining("'a'");
        assertThatThrownBy(() -> new InternalCredential("short", "too-short")).hasMessageNotContaining("too-short");
        assertThatThrownBy(() -> new InternalCredential("bad name", ROTATING_IN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new InternalCredential("x", ROTATING_IN).toString()).doesNotContain(ROTATING_IN);
    }
}
