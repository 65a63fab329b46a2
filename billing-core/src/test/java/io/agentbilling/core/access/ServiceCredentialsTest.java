package io.agentbilling.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceCredentialsTest {
    private static final String USAGE_SECRET = "usage-service-secret-0123456789abcdef";
    private static final String SANDBOX_SECRET = "sandbox-service-secret-0123456789abcdef";
    private static final String NEW_USAGE_SECRET = "usage-service-secret-ROTATED-0123456789";

    @Test
    void each_configured_secret_authenticates_as_its_own_name() {
        ServiceCredentials credentials = new ServiceCredentials(Map.of("usage", USAGE_SECRET,
                "sandbox", SANDBOX_SECRET));

        assertThat(credentials.authenticate(USAGE_SECRET)).contains("usage");
        assertThat(credentials.authenticate(SANDBOX_SECRET)).contains("sandbox");
    }

    @Test
    void during_a_rotation_old_and_new_secrets_both_work_and_after_it_only_the_new_one() {
        ServiceCredentials during = new ServiceCredentials(Map.of("usage", USAGE_SECRET,
                "usage-next", NEW_USAGE_SECRET));
        ServiceCredentials after = new ServiceCredentials(Map.of("usage-next", NEW_USAGE_SECRET));

        assertThat(during.authenticate(USAGE_SECRET)).contains("usage");
        assertThat(during.authenticate(NEW_USAGE_SECRET)).contains("usage-next");
        assertThat(after.authenticate(USAGE_SECRET)).isEmpty();
        assertThat(after.authenticate(NEW_USAGE_SECRET)).contains("usage-next");
    }

    @Test
    void wrong_missing_or_nearly_right_secrets_authenticate_nobody() {
        ServiceCredentials credentials = new ServiceCredentials(Map.of("usage", USAGE_SECRET));

        assertThat(credentials.authenticate(null)).isEmpty();
        assertThat(credentials.authenticate("")).isEmpty();
        assertThat(credentials.authenticate("wrong")).isEmpty();
        assertThat(credentials.authenticate(USAGE_SECRET + "x")).isEmpty();
        assertThat(credentials.authenticate(USAGE_SECRET.substring(1))).isEmpty();
        assertThat(credentials.authenticate(USAGE_SECRET.toUpperCase())).isEmpty();
        assertThat(credentials.authenticate("x".repeat(10_000))).isEmpty();
    }

    @Test
    void no_credentials_configured_authenticates_nobody() {
        assertThat(new ServiceCredentials(Map.of()).authenticate(USAGE_SECRET)).isEmpty();
    }

    @Test
    void a_secret_shorter_than_16_characters_is_refused_at_configuration() {
        assertThatThrownBy(() -> new ServiceCredentials(Map.of("usage", "x".repeat(15))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ServiceCredentials(Map.of("usage", "x".repeat(16))).authenticate("x".repeat(16)))
                .contains("usage");
    }

    @Test
    void two_names_for_one_secret_or_a_blank_name_are_refused() {
        assertThatThrownBy(() -> new ServiceCredentials(Map.of("a", USAGE_SECRET, "b", USAGE_SECRET)))
                .isInstanceOf(IllegalArgumentException.class);
        Map<String, String> blank = new LinkedHashMap<>();
        blank.put(" ", USAGE_SECRET);
        assertThatThrownBy(() -> new ServiceCredentials(blank)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void secrets_never_show_in_its_string_form() {
        ServiceCredentials credentials = new ServiceCredentials(Map.of("usage", USAGE_SECRET));

        assertThat(credentials.toString()).contains("usage").doesNotContain(USAGE_SECRET);
    }

    @Test
    void only_fixed_length_digests_are_kept_so_the_comparison_does_not_depend_on_secret_length() throws Exception {
        String secret = "a-secret-of-some-length-" + "x".repeat(40);
        ServiceCredentials credentials = new ServiceCredentials(java.util.Map.of("usage", secret));
        java.lang.reflect.Field field = ServiceCredentials.class.getDeclaredField("credentials");
        field.setAccessible(true);
        for (Object kept : (java.util.List<?>) field.get(credentials)) {
            assertThat(kept.toString()).doesNotContain(secret);
            java.lang.reflect.Field digest = kept.getClass().getDeclaredField("digest");
            digest.setAccessible(true);
            assertThat((byte[]) digest.get(kept)).hasSize(32);
        }
    }
}
