package io.agentbilling.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The composition root starts the real server on PostgreSQL and answers its operational endpoints. */
class ApplicationStartTest {

    @Test
    void the_application_starts_is_ready_and_authenticates_real_keys() {
        try (TestApplication server = new TestApplication()) {
            assertThat(server.get("/health").status()).isEqualTo(200);
            assertThat(server.get("/ready").status()).isEqualTo(200);
            assertThat(server.get("/metrics").body()).contains("billing_db_pool_active_connections");
            TestApplication.TestOrg org = server.newOrg("free");
            assertThat(server.app.billing().authenticateApiKey().execute(org.memberKey())).isPresent();
            assertThat(server.app.usesLocalCheckout()).isTrue();
        }
    }
}
