package io.agentbilling.http.server;

import io.agentbilling.http.server.config.ServerConfig;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The container's health probe ({@code Main healthcheck}) against a real server, and against nothing. */
class HealthCheckTest {

    @Test
    void a_ready_server_is_healthy_and_no_server_is_not() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TestApplication app = new TestApplication()) {
            int status = HealthCheck.run(Map.of(ServerConfig.PORT, Integer.toString(app.app.port())),
                    new PrintStream(out, true, UTF_8));
            assertThat(status).isZero();
        }
        assertThat(out.toString(UTF_8)).contains("healthy", "/ready answered 200");

        int free;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = socket.getLocalPort();
        }
        ByteArrayOutputStream down = new ByteArrayOutputStream();
        assertThat(HealthCheck.run(Map.of(ServerConfig.PORT, Integer.toString(free)),
                new PrintStream(down, true, UTF_8))).isEqualTo(1);
        assertThat(down.toString(UTF_8)).startsWith("unhealthy");
        assertThat(HealthCheck.run(Map.of(ServerConfig.PORT, "eighty"), new PrintStream(down, true, UTF_8)))
                .isEqualTo(1);
    }
}
