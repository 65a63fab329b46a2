package io.agentbilling.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The refused events, one JSON object per line, appended: {@code {"rejectedAt", "idempotencyKey", "status", "code",
 * "message", "details"?, "event": {…as it was sent}}}. Written, and forced unless the policy is {@code never},
 * before the events leave the spool, so a refused event is never lost (after a crash at the wrong moment it may appear
 * twice: tell them apart by {@code idempotencyKey}). Thread-safe.
 */
final class DeadLetterFile implements AutoCloseable {
    private final Path path;
    private final FsyncPolicy policy;
    private FileChannel channel;

    DeadLetterFile(Path path, FsyncPolicy policy) {
        this.path = path;
        this.policy = policy;
    }

    Path path() {
        return path;
    }

    synchronized void append(List<Rejection> rejections, Instant at) throws IOException {
        if (rejections.isEmpty()) {
            return;
        }
        if (channel == null) {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            boolean created = !Files.exists(path);
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            if (created) {
                Spool.forceDirectory(parent);
            }
        }
        StringBuilder lines = new StringBuilder();
        for (Rejection rejection : rejections) {
            ObjectNode line = ClientJson.MAPPER.createObjectNode();
            line.put("rejectedAt", at.toString());
            line.put("idempotencyKey", rejection.idempotencyKey());
            line.put("status", rejection.status());
            line.put("code", rejection.code());
            line.put("message", rejection.message());
            if (!rejection.details().isEmpty()) {
                ArrayNode details = line.putArray("details");
                rejection.details().forEach(d -> details.addObject().put("field", d.field()).put("issue", d.issue()));
            }
            line.set("event", ClientJson.MAPPER.readTree(rejection.eventJson()));
            lines.append(ClientJson.MAPPER.writeValueAsString(line)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        if (policy.kind() != FsyncPolicy.Kind.NEVER) {
            channel.force(false);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.force(false);
            channel.close();
            channel = null;
        }
    }
}
