package io.agentbilling.http.server;

import io.agentbilling.http.server.config.ConfigException;
import io.agentbilling.http.server.config.InternalSecretFile;
import io.agentbilling.http.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar billing-server.jar} starts the server from environment variables (see the README);
 * {@code java -jar billing-server.jar bootstrap} asks a running server to create a demo org with an admin and a member
 * key and prints them; {@code java -jar billing-server.jar healthcheck} is the container's health probe (exit 0 when
 * the local server is ready).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("healthcheck")) {
            System.exit(HealthCheck.run(System.getenv(), System.out));
        }
        if (args.length > 0 && args[0].equals("bootstrap")) {
            System.exit(Bootstrap.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        if (args.length > 0) {
            System.err.println("usage: java -jar billing-server.jar [bootstrap [--url URL] [--plan PLAN] | healthcheck]");
            System.exit(2);
        }
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        BillingApplication app = BillingApplication.start(config);
        app.closeOnShutdown();
        if ("json".equals(System.getenv(ServerConfig.LOG_FORMAT))) {
            // Standard output carries one JSON object per line: the banner is one log event like any other.
            ByteArrayOutputStream banner = new ByteArrayOutputStream();
            printBanner(app, System.getenv(), new PrintStream(banner, true, StandardCharsets.UTF_8));
            LoggerFactory.getLogger(Main.class).info(banner.toString(StandardCharsets.UTF_8).strip());
        } else {
            printBanner(app, System.getenv(), System.out);
        }
    }

    static void printBanner(BillingApplication app, Map<String, String> env, PrintStream out) {
        ServerConfig config = app.config();
        String url = "http://localhost:" + app.port();
        out.println();
        out.println("Billing server listening on " + url + " (public URL " + config.http().publicUrl() + ")");
        out.println("  database: " + (config.database().external().isPresent()
                ? config.database().external().get().url()
                : "embedded PostgreSQL in " + config.dataDir().resolve("postgres").toAbsolutePath()));
        out.println("  payments: " + (app.usesLocalCheckout() ? "local checkout page (no Stripe key set)" : "Stripe"));
        if (config.internalCredentials().isEmpty()) {
            // The secret itself stays in its owner-readable file: stdout often ends up in shared logs.
            Path file = config.dataDir().resolve(InternalSecretFile.FILE_NAME).toAbsolutePath();
            out.println("  internal secret (X-Internal-Secret): generated, in " + file);
            out.println("    export BILLING_INTERNAL_SECRET=\"$(cat " + file + ")\"");
        }
        out.println("  billing page:  " + url + "/billing  (sign in with an API key)");
        out.println("  API reference: " + url + "/docs  (OpenAPI 3.1 at " + url + "/openapi.json)");
        out.println();
        out.println("Create a demo org with an admin and a member API key:");
        out.println("  java -jar billing-http/target/billing-server.jar bootstrap --url " + url);
        out.println("or by hand:");
        out.println("  curl -X POST " + url + "/v1/internal/orgs -H \"X-Internal-Secret: $BILLING_INTERNAL_SECRET\" \\");
        out.println("       -H \"Content-Type: application/json\" -d '{\"name\":\"Acme\",\"plan\":\"free\"}'");
        out.println("Then:");
        out.println("  curl " + url + "/v1/billing/plan -H \"X-API-Key: $RUNTOOLS_API_KEY\"");
        out.println("  curl \"" + url + "/v1/billing/my-usage?period=30d\" -H \"X-API-Key: $RUNTOOLS_API_KEY\"");
        out.println();
    }
}
