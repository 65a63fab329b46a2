package io.agentbilling.embedded.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A separate JVM that owns an embedded database, for the tests that kill the owner: starts the database on the data
 * directory in {@code args[0]}, writes its JDBC URL to the file {@code args[1]}, then waits to be killed.
 */
public final class EmbeddedDatabaseProcess {

    private EmbeddedDatabaseProcess() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), 0);
        Path ready = Path.of(args[1]);
        Path partial = ready.resolveSibling(ready.getFileName() + ".partial");
        Files.writeString(partial, database.jdbcUrl());
        Files.move(partial, ready, StandardCopyOption.ATOMIC_MOVE);
        Thread.sleep(Long.MAX_VALUE);
    }
}
