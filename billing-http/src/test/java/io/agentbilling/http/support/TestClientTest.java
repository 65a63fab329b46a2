package io.agentbilling.http.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's client keeps its promises: it never throws, and it sends the credential only when asked to. */
class TestClientTest {

    @Test
    void a_refused_connection_is_an_answer_with_status_zero_and_the_reason() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        List<Answer> seen = new ArrayList<>();
        Answer answer = TestClient.builder().base("http://127.0.0.1:" + closedPort).onAnswer(seen::add).build()
                .within(Duration.ofSeconds(5)).post("/v1/anything", "{}");

        assertThat(answer.answered()).isFalse();
        assertThat(answer.status()).isZero();
        assertThat(answer.failure()).isInstanceOf(IOException.class);
        assertThat(answer.errorCode()).isEqualTo("no answer");
        assertThat(answer.toString()).startsWith("POST /v1/anything -> 0");
        assertThat(seen).containsExactly(answer);
    }

    @Test
    void the_internal_credential_goes_only_on_internal_calls_and_only_when_configured() {
        try (TestServer server = new TestServer()) {
            TestClient client = server.client();
            assertThat(client.internalPost("/v1/demo/internal", "{}").status()).isEqualTo(200);
            assertThat(client.post("/v1/demo/internal", "{}").status()).isEqualTo(401);
            assertThatThrownBy(() -> TestClient.builder().base(client.base()).build().internalGet("/health"))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void a_client_for_no_server_names_one_per_call() {
        TestClient unbound = TestClient.builder().build();
        assertThatThrownBy(() -> unbound.get("/health")).isInstanceOf(IllegalStateException.class);
        try (TestServer server = new TestServer()) {
            assertThat(unbound.at("http://127.0.0.1:" + server.port()).get("/health").status()).isEqualTo(200);
        }
    }
}
