package io.agentbilling.jdbc.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

    private static final String URL = "jdbc:postgresql://localhost:5432/billing";

    @Test
    void defaults_are_a_ten_connection_pool_failing_fast_after_two_seconds() {
        DatabaseConfig config = DatabaseConfig.of(URL, "billing", "secret");

        assertThat(config.poolSize()).isEqualTo(10);
        assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.leakDetection()).isEmpty();
        assertThat(config.poolName()).isEqualTo("billing");
    }

    @Test
    void rejects_what_cannot_make_a_working_pool() {
        DatabaseConfig valid = DatabaseConfig.of(URL, "billing", "");

        assertThatThrownBy(() -> DatabaseConfig.of("jdbc:mysql://localhost/billing", "u", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> DatabaseConfig.of(URL, " ", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DatabaseConfig.of(URL, "u", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> valid.withPoolSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid.withPoolSize(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid.withConnectionTimeout(Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid.withConnectionTimeout(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid.withLeakDetectionThreshold(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid.withLeakDetectionThreshold(Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid.withPoolName("has space")).isInstanceOf(IllegalArgumentException.class);
        assertThat(valid.withLeakDetectionThreshold(Duration.ofSeconds(2)).leakDetection())
                .contains(Duration.ofSeconds(2));
    }

    @Test
    void to_string_never_shows_a_password() {
        DatabaseConfig config = DatabaseConfig.of(URL + "?password=hunter2&ssl=true", "billing", "secret");

        assertThat(config.toString()).doesNotContain("secret").doesNotContain("hunter2").contains("ssl=true");
    }
}
