package io.agentbilling.http.faults;

import io.agentbilling.http.server.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real server as a separate OS process: {@code java -cp <this JVM's class path> io.agentbilling.http.server.Main}
 * with the given environment, its output in a file. {@link #kill()} is {@code kill -9}: no shutdown hook, no drain.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern BANNER = Pattern.compile(
            "Billing server listening on http:(?:\\\\?/){2}localhost:(\\d+)"); // JSON logs escape "/" as "\/"

    private final Process process;
    private final Path output;
    private final int port;

    private ServerProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    public static ServerProcess start(Map<String, String> environment, Path output) {
        return start(List.of(), environment, output);
    }

    /** With extra JVM options (e.g. {@code -Dlogback.configurationFile=…} for the production logging setup). */
    public static ServerProcess start(List<String> jvmOptions, Map<String, String> environment, Path output) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            long from = Files.exists(output) ? Files.size(output) : 0;
            Process process = builder.start();
            return new ServerProcess(process, output, awaitPort(process, output, from));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int awaitPort(Process process, Path output, long from) throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < end) {
            String text = Files.readString(output);
            Matcher banner = BANNER.matcher(text.substring((int) Math.min(from, text.length())));
            if (banner.find()) {
                return Integer.parseInt(banner.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the server process exited with " + process.exitValue()
                        + "; its output is in " + output);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server process did not start within 60 s; its output is in " + output);
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the killed server process is still alive");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
