package io.agentbilling.embedded.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real PostgreSQL processes on real data directories; each test owns its directory. */
class EmbeddedDatabaseTest {

    @TempDir
    Path tempDir;

    /** A failed test must not leave a PostgreSQL running on the machine. */
    @AfterEach
    void killLeftoverServers() {
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
            processes.filter(this::runsInTempDir).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private boolean runsInTempDir(ProcessHandle process) {
        try {
            Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd"));
            return cwd.startsWith(tempDir.toRealPath());
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Test
    void runs_postgresql_17_with_durable_settings() throws SQLException {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(tempDir.resolve("data"), 0)) {
            assertThat(show(database, "server_version_num")).startsWith(EmbeddedDatabase.POSTGRES_MAJOR_VERSION);
            assertThat(show(database, "fsync")).isEqualTo("on");
            assertThat(show(database, "synchronous_commit")).isEqualTo("on");
            assertThat(show(database, "full_page_writes")).isEqualTo("on");
            assertThat(show(database, "max_connections")).isEqualTo("100");
            assertThat(show(database, "shared_buffers")).isEqualTo("128MB");
            assertThat(show(database, "listen_addresses")).isEqualTo("localhost");
            assertThat(show(database, "server_encoding")).isEqualTo("UTF8");
            assertThat(query(database, "SELECT datlocprovider::text || ':' || datlocale FROM pg_database"
                    + " WHERE datname = current_database()")).isEqualTo("b:C.UTF-8");
            assertThat(query(database, "SELECT current_database()")).isEqualTo(EmbeddedDatabase.DATABASE);
        }
    }

    @Test
    void a_row_written_before_a_stop_is_there_after_a_restart_on_the_same_directory() throws SQLException {
        Path data = tempDir.resolve("data");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data, 0)) {
            execute(first, "CREATE TABLE kept (id int PRIMARY KEY, note text)");
            execute(first, "INSERT INTO kept VALUES (1, 'survives a restart')");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(data, 0)) {
            assertThat(query(second, "SELECT note FROM kept WHERE id = 1")).isEqualTo("survives a restart");
        }
    }

    @Test
    void starts_on_the_requested_port() throws IOException {
        int port;
        try (var probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (EmbeddedDatabase database = EmbeddedDatabase.start(tempDir.resolve("data"), port)) {
            assertThat(database.port()).isEqualTo(port);
            assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + port + "/billing");
        }
    }

    @Test
    void a_committed_row_survives_the_server_being_killed_with_sigkill() throws Exception {
        Path data = tempDir.resolve("data");
        EmbeddedDatabase crashed = EmbeddedDatabase.start(data, 0);
        execute(crashed, "CREATE TABLE kept (id int PRIMARY KEY, note text)");
        execute(crashed, "INSERT INTO kept VALUES (1, 'committed before the crash')");

        ProcessHandle postmaster = ProcessHandle.of(crashed.postmasterPid()).orElseThrow();
        postmaster.destroyForcibly();
        postmaster.onExit().get(10, TimeUnit.SECONDS);
        assertThat(data.resolve("postmaster.pid")).exists(); // stale: nobody removed it
        crashed.stop(); // the owner notices; pg_ctl finds no server to stop

        try (EmbeddedDatabase recovered = EmbeddedDatabase.start(data, 0)) {
            assertThat(query(recovered, "SELECT note FROM kept WHERE id = 1")).isEqualTo("committed before the crash");
        }
    }

    @Test
    void a_start_right_after_a_kill_does_not_wait_for_a_postmaster_that_is_dead_but_not_reaped() throws Exception {
        Path data = tempDir.resolve("data");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data, 0)) {
            execute(first, "CREATE TABLE kept (id int PRIMARY KEY, note text)");
            execute(first, "INSERT INTO kept VALUES (1, 'before the crash')");
        }
        // A killed postmaster stays a zombie until its parent reaps it, and PostgreSQL's own lock-file check takes a
        // zombie for a running server. Leave one behind: a process whose parent never reaps it (sleep 0, child of a
        // shell that then becomes sleep 60), and record its pid as the postmaster's, as a kill -9 would leave it.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 60").start();
        try {
            long zombiePid = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(
                    parent.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII)).readLine().strip());
            ProcessHandle zombie = ProcessHandle.of(zombiePid).orElseThrow();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (EmbeddedDatabase.isRunning(zombie) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(zombie.isAlive()).as("the kernel still knows the pid").isTrue();
            assertThat(EmbeddedDatabase.isRunning(zombie)).as("but it is a zombie").isFalse();
            Path pidFile = data.resolve("postmaster.pid");
            Files.writeString(pidFile, zombiePid + "\n" + data + "\n");

            long started = System.nanoTime();
            try (EmbeddedDatabase restarted = EmbeddedDatabase.start(data, 0)) {
                assertThat(query(restarted, "SELECT note FROM kept WHERE id = 1")).isEqualTo("before the crash");
                assertThat(restarted.postmasterPid()).isNotEqualTo(zombiePid);
            }
            // Not PostgreSQL's own startup wait (60 s) run out and lost: the stale lock was cleared before the start.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(45));
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void is_running_turns_false_when_the_server_dies_or_is_stopped() throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.start(tempDir.resolve("data"), 0);
        try {
            assertThat(database.isRunning()).isTrue();
            ProcessHandle postmaster = ProcessHandle.of(database.postmasterPid()).orElseThrow();
            postmaster.destroyForcibly();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (database.isRunning() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(database.isRunning()).isFalse();
        } finally {
            database.stop();
        }
        assertThat(database.isRunning()).isFalse();
    }

    @Test
    void a_server_orphaned_by_a_killed_jvm_is_shut_down_and_its_data_kept() throws Exception {
        Path data = tempDir.resolve("data");
        Path ready = tempDir.resolve("ready");
        Process owner = startOwnerJvm(data, ready);
        try {
            String jdbcUrl = awaitReady(owner, ready);
            try (Connection connection = DriverManager.getConnection(jdbcUrl, "postgres", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (id int PRIMARY KEY, note text)");
                statement.execute("INSERT INTO kept VALUES (1, 'written through the dead owner')");
            }

            assertThatThrownBy(() -> EmbeddedDatabase.start(data, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another running process");

            owner.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } finally {
            owner.destroyForcibly();
        }
        long orphanPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        Optional<ProcessHandle> orphan = ProcessHandle.of(orphanPid);
        assertThat(orphan).hasValueSatisfying(process -> assertThat(EmbeddedDatabase.isRunning(process)).isTrue());

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(data, 0)) {
            assertThat(EmbeddedDatabase.isRunning(orphan.get())).isFalse();
            assertThat(restarted.postmasterPid()).isNotEqualTo(orphanPid);
            assertThat(query(restarted, "SELECT note FROM kept WHERE id = 1"))
                    .isEqualTo("written through the dead owner");
        }
    }

    @Test
    void a_directory_in_use_by_this_jvm_is_refused() {
        Path data = tempDir.resolve("data");
        try (EmbeddedDatabase running = EmbeddedDatabase.start(data, 0)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(data, 0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in use by this JVM");
            assertThat(running.postmasterPid()).isPositive();
        }
    }

    @Test
    void a_non_empty_directory_that_is_not_a_data_directory_is_refused() throws IOException {
        Path data = Files.createDirectories(tempDir.resolve("data"));
        Files.writeString(data.resolve("notes.txt"), "someone else's files");

        assertThatThrownBy(() -> EmbeddedDatabase.start(data, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither a PostgreSQL data directory nor empty");
    }

    @Test
    void a_data_directory_of_another_major_version_is_refused() throws IOException {
        Path data = Files.createDirectories(tempDir.resolve("data"));
        Files.writeString(data.resolve("postgresql.conf"), "");
        Files.writeString(data.resolve("PG_VERSION"), "16\n");

        assertThatThrownBy(() -> EmbeddedDatabase.start(data, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("belongs to PostgreSQL 16");
    }

    @Test
    void a_port_in_use_is_refused_before_anything_starts() throws IOException {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(tempDir.resolve("data"), taken.getLocalPort()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void a_failed_start_quotes_postgresql_own_words_without_any_slf4j_binding() throws IOException {
        // This module's test classpath has slf4j-api and no binding (SLF4J logs nothing), as a bare host may.
        assertThat(org.slf4j.LoggerFactory.getILoggerFactory()).isInstanceOf(org.slf4j.helpers.NOPLoggerFactory.class);
        Path data = tempDir.resolve("data");
        EmbeddedDatabase.start(data, 0).stop();
        Files.writeString(data.resolve("postgresql.conf"), "\nno_such_setting_of_postgres = 1\n",
                java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> EmbeddedDatabase.start(data, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start on data directory")
                .hasMessageContaining("no_such_setting_of_postgres");
        assertThat(tempDir.resolve("data.log")).content().contains("no_such_setting_of_postgres");
    }

    @Test
    void postgresql_writes_its_own_log_beside_the_data_directory() throws IOException {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(tempDir.resolve("data"), 0)) {
            assertThat(database.logFile()).isEqualTo(tempDir.resolve("data.log").toAbsolutePath());
            assertThat(database.logFile()).content().contains("database system is ready to accept connections");
        }
    }

    // ---- helpers ----

    private static Process startOwnerJvm(Path data, Path ready) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", classpath,
                EmbeddedDatabaseProcess.class.getName(), data.toString(), ready.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ready.resolveSibling("owner-jvm.log").toFile())
                .start();
    }

    private static String awaitReady(Process owner, Path ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(ready)) {
            if (!owner.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("owner JVM did not start its database:\n"
                        + Files.readString(ready.resolveSibling("owner-jvm.log")));
            }
            Thread.sleep(50);
        }
        return Files.readString(ready);
    }

    static String show(EmbeddedDatabase database, String setting) throws SQLException {
        return query(database, "SHOW " + setting);
    }

    static String query(EmbeddedDatabase database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            assertThat(row.next()).as("a row from " + sql).isTrue();
            return row.getString(1);
        }
    }

    static void execute(EmbeddedDatabase database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
