package io.agentbilling.http.server.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.agentbilling.http.auth.InternalCredential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal secret of a server started without {@code BILLING_INTERNAL_SECRET(S)}: generated once (32 random
 * bytes, base64url) into {@code <data dir>/internal-secret}, readable by the owner only, and reused on later starts,
 * so a local setup works without configuration and the platform's services can read the file to call in.
 */
public final class InternalSecretFile {
    public static final String FILE_NAME = "internal-secret";
    public static final String CREDENTIAL_NAME = "default";
    private static final Logger LOG = LoggerFactory.getLogger(InternalSecretFile.class);
    private static final int RANDOM_BYTES = 32;

    private InternalSecretFile() {
    }

    public static InternalCredential loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                try {
                    create(file);
                    LOG.info("generated an internal secret in {} (set BILLING_INTERNAL_SECRET to choose one)", file);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: use theirs
                }
            }
            String secret = Files.readString(file, UTF_8).strip();
            try {
                return new InternalCredential(CREDENTIAL_NAME, secret);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(List.of(file + " does not hold a usable internal secret: "
                        + e.getMessage()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the internal secret in " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            Files.createFile(file, ownerOnly);
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, secret + "\n", UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
