package io.agentbilling.stripe;

import java.time.Duration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripeConfigTest {
    private static final StripeConfig VALID = StripeConfig.of("sk_test_abc123", "whsec_xyz789");

    @Test
    void defaults_are_stripes_api_the_library_timeouts_two_retries_and_a_five_minute_tolerance() {
        assertThat(VALID.apiBase()).isNull();
        assertThat(VALID.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(VALID.readTimeout()).isEqualTo(Duration.ofSeconds(80));
        assertThat(VALID.maxNetworkRetries()).isEqualTo(2);
        assertThat(VALID.webhookToleranceSeconds()).isEqualTo(300);
        assertThat(VALID.testMode()).isTrue();
    }

    @Test
    void the_secrets_never_show_in_to_string() {
        assertThat(VALID.toString()).doesNotContain("abc123").doesNotContain("xyz789")
                .contains("sk_test_***").contains("whsec_***");
        assertThat(StripeConfig.of("sk_live_abc123", "plainsecret").toString())
                .doesNotContain("abc123").doesNotContain("plainsecret");
    }

    @Test
    void a_trailing_slash_on_the_api_base_is_dropped() {
        assertThat(VALID.withApiBase("http://127.0.0.1:1234/").apiBase()).isEqualTo("http://127.0.0.1:1234");
    }

    @Test
    void keys_must_be_secret_or_restricted_keys() {
        assertThatThrownBy(() -> StripeConfig.of("pk_test_abc", "whsec_x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StripeConfig.of(" ", "whsec_x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StripeConfig.of(null, "whsec_x")).isInstanceOf(NullPointerException.class);
        assertThat(StripeConfig.of("rk_live_abc", "whsec_x").testMode()).isFalse();
    }

    @Test
    void the_webhook_secret_is_required() {
        assertThatThrownBy(() -> StripeConfig.of("sk_test_abc", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StripeConfig.of("sk_test_abc", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void the_api_base_must_be_an_absolute_http_url() {
        for (String bad : new String[] {"api.stripe.com", "ftp://x", "http://", "http://h/?q=1", "http://h/#f", "::"}) {
            assertThatThrownBy(() -> VALID.withApiBase(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void timeouts_must_be_positive_and_bounded() {
        assertThatThrownBy(() -> VALID.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VALID.withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VALID.withTimeouts(Duration.ofSeconds(1), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VALID.withTimeouts(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void retries_and_tolerance_are_bounded_and_the_tolerance_cannot_be_switched_off() {
        assertThatThrownBy(() -> VALID.withMaxNetworkRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VALID.withMaxNetworkRetries(11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VALID.withWebhookToleranceSeconds(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VALID.withWebhookToleranceSeconds(86_401))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(VALID.withMaxNetworkRetries(0).withWebhookToleranceSeconds(60).webhookToleranceSeconds())
                .isEqualTo(60);
    }
}
