package io.agentbilling.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Runs the README's embedding example exactly as written, and checks the README still shows this code. */
class EmbeddingExampleTest {

    @Test
    void the_readme_embedding_example_runs() {
        DatabaseConfig db = TestDatabases.freshDatabase("embedding");
        String jdbcUrl = db.jdbcUrl();
        String user = db.user();
        String password = db.password();
        long balanceCents;
        // README:start
        try (Billing billing = PostgresBilling.builder(jdbcUrl, user, password).build()) {
            CreateOrg.Result acme = billing.createOrg().execute(
                    new CreateOrg.Command("Acme", "free", null, "create-acme"));
            Member dev = billing.addMember().execute(
                    new AddMember.Command(acme.org().id(), "dev@acme.test", Role.MEMBER));
            billing.settleModelUsage().execute(new SettleModelUsage.Command(acme.org().id(), dev.id(),
                    "gpt-5", 1_200, 300, 0, false, "req-1", null, "req-1"));
            balanceCents = billing.getCredits().forOrg(acme.org().id()).balance().toCentsFloor();
        }
        // README:end
        assertThat(balanceCents).isEqualTo(499); // $5.00 sign-up grant minus 0.45 cents, rounded down
    }

    @Test
    void the_readme_shows_the_example_that_runs() throws IOException {
        Path readme = Path.of("..", "README.md");
        List<String> source = Files.readAllLines(Path.of("src/test/java/io/agentbilling/jdbc/EmbeddingExampleTest.java"));
        String example = source.subList(source.indexOf("        // README:start") + 1, source.indexOf("        // README:end"))
                .stream().map(line -> line.length() >= 8 ? line.substring(8) : line.strip()).collect(Collectors.joining("\n"));
        assertThat(Files.readString(readme)).contains(example);
    }
}
