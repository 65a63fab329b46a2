package io.agentbilling.http.server.infrastructure;

import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the server and stops it in the right order: first Jetty's graceful stop (no new connections; in-flight
 * requests, such as a settlement mid-transaction, finish within the shutdown timeout), then the resources the
 * requests used (the connection pool, the embedded database), last registered first. Thread-safe; closing twice is
 * harmless.
 *
 * <pre>{@code
 * ServerLifecycle server = ServerLifecycle.start(app, embeddedDatabase, pool);   // closed: pool, then database
 * server.closeOnShutdown();
 * }</pre>
 */
public final class ServerLifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLifecycle.class);

    private final Javalin app;
    private final List<AutoCloseable> resources;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServerLifecycle(Javalin app, List<AutoCloseable> resources) {
        this.app = app;
        this.resources = resources;
    }

    /**
     * Starts {@code app} (on its configured host and port).
     *
     * @param resources closed after the server has drained, in reverse order of this list
     */
    public static ServerLifecycle start(Javalin app, AutoCloseable... resources) {
        Objects.requireNonNull(app, "app");
        List<AutoCloseable> closeOrder = new ArrayList<>(List.of(resources));
        Collections.reverse(closeOrder);
        app.start();
        return new ServerLifecycle(app, closeOrder);
    }

    public int port() {
        return app.port();
    }

    /** Closes everything when the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "billing-shutdown"));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            app.stop();
        } catch (RuntimeException e) {
            LOG.error("the HTTP server did not stop cleanly", e);
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.error("closing {} failed", resource, e);
            }
        }
    }
}
