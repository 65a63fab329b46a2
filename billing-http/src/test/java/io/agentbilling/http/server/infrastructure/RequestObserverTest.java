package io.agentbilling.http.server.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class RequestObserverTest {

    @Test
    void the_access_log_prints_latencies_with_one_decimal_as_string_format_does() {
        for (double millis : new double[] {0, 0.04, 0.05, 0.95, 1, 7.25, 12.349, 999.96, 123_456.7}) {
            assertThat(RequestObserver.oneDecimal(millis))
                    .isEqualTo(String.format(Locale.ROOT, "%.1f", millis));
        }
    }
}
