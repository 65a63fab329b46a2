package io.agentbilling.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The {@link UsageReporter}'s durable queue: an append-only log file of framed records in a directory the spool owns
 * (held by an OS file lock, so two processes can never write it at once).
 *
 * <p><b>Format.</b> A frame is {@code magic "USP1" (4 bytes) | type (1) | payload length (4) | CRC32C (4) | payload}
 * where the CRC covers type, length and payload. An {@code EVENT} payload is {@code sequence (8) | the event's batch
 * JSON}; a {@code DONE} payload lists sequences the server has settled or refused as runs of
 * {@code first sequence (8) | count (4)}. Pending events are the EVENT frames without a DONE.
 *
 * <p><b>Crash safety.</b> Frames are only ever appended. On open the whole file is read: a frame whose length or CRC
 * does not check (a write torn by a crash, a block of zeros or garbage left by a power loss) is skipped and reading
 * resumes at the next frame that checks; a torn tail is dropped. The pending events are then rewritten to a fresh file
 * ({@code usage-spool.log.compact}), forced, and renamed over the log atomically, and the directory is forced, so a
 * crash at any point leaves either the old log or the new one, never a mix. The same rewrite (compaction) runs when
 * the log has grown past its threshold and is mostly settled events. When an append is forced follows the
 * {@link FsyncPolicy}; DONE frames follow the same policy (a lost DONE only means the event is sent again, and the
 * server replays it). Close always forces.
 *
 * <p>Thread-safe: appends, DONE marks and compaction hold one lock; forcing to disk happens outside it, shared by
 * concurrent callers (group commit).
 */
final class Spool implements AutoCloseable {
    static final String LOG_FILE = "usage-spool.log";
    static final String COMPACT_FILE = "usage-spool.log.compact";
    static final String LOCK_FILE = "usage-spool.lock";

    static final int MAGIC = 0x55535031; // "USP1"
    static final byte EVENT = 1;
    static final byte DONE = 2;
    static final int HEADER_BYTES = 13;
    /** No frame is larger (an event is at most a batch request's size); a length past it marks a corrupt frame. */
    static final int MAX_PAYLOAD_BYTES = 16 << 20;

    /** One pending event: its sequence in the spool and its batch JSON. */
    record Event(long seq, byte[] json) {
        int frameBytes() {
            return HEADER_BYTES + 8 + json.length;
        }
    }

    /** What opening found: the pending events, in order, and how much of the old file was unreadable. */
    record Recovery(List<Event> pending, long settledFrames, long corruptBytes) {
    }

    private final Path directory;
    private final FsyncPolicy policy;
    private final long compactBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object syncMonitor = new Object();
    /** Pending events by sequence, in sequence order (guarded by writeLock). */
    private final LinkedHashMap<Long, byte[]> pending = new LinkedHashMap<>();
    private final Recovery recovery;

    private FileChannel channel; // guarded by writeLock
    private long nextSeq; // guarded by writeLock
    private long fileBytes; // guarded by writeLock
    private long liveBytes; // guarded by writeLock
    private long appendedBytes; // logical, monotonic; guarded by writeLock
    private long syncedBytes; // guarded by syncMonitor
    private boolean syncing; // guarded by syncMonitor
    private volatile boolean closed;

    private Spool(Path directory, FsyncPolicy policy, long compactBytes, FileChannel lockChannel, FileLock lock)
            throws IOException {
        this.directory = directory;
        this.policy = policy;
        this.compactBytes = compactBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recovery = recover();
    }

    /**
     * Opens (creating it if needed) the spool in {@code directory}, recovering what a previous process left.
     *
     * @throws IllegalStateException when another process (or another reporter in this JVM) has the spool open
     */
    static Spool open(Path directory, FsyncPolicy policy, long compactBytes) throws IOException {
        boolean created = !Files.isDirectory(directory);
        Files.createDirectories(directory);
        if (created && directory.toAbsolutePath().getParent() != null) {
            forceDirectory(directory.toAbsolutePath().getParent()); // the new directory's own entry survives a crash
        }
        FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lockChannel.close();
            throw new IllegalStateException("the spool " + directory + " is already open in this JVM");
        }
        if (lock == null) {
            lockChannel.close();
            throw new IllegalStateException("the spool " + directory + " is in use by another process");
        }
        try {
            return new Spool(directory, policy, compactBytes, lockChannel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    Recovery recovery() {
        return recovery;
    }

    // ---- recovery

    private Recovery recover() throws IOException {
        Files.deleteIfExists(directory.resolve(COMPACT_FILE)); // a rewrite that never got renamed: the log stands
        Path log = directory.resolve(LOG_FILE);
        byte[] bytes = Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
        TreeMap<Long, byte[]> events = new TreeMap<>();
        List<long[]> doneRuns = new ArrayList<>();
        long corrupt = 0;
        long maxSeq = 0;
        int position = 0;
        while (position < bytes.length) {
            int length = frameLength(bytes, position);
            if (length < 0) {
                int next = nextFrame(bytes, position + 1);
                corrupt += next - position;
                position = next;
                continue;
            }
            ByteBuffer payload = ByteBuffer.wrap(bytes, position + HEADER_BYTES, length);
            if (bytes[position + 4] == EVENT) {
                long seq = payload.getLong();
                byte[] json = new byte[length - 8];
                payload.get(json);
                events.put(seq, json);
                maxSeq = Math.max(maxSeq, seq);
            } else {
                while (payload.remaining() >= 12) {
                    doneRuns.add(new long[] {payload.getLong(), payload.getInt()});
                }
            }
            position += HEADER_BYTES + length;
        }
        long settled = 0;
        for (long[] run : doneRuns) {
            Map<Long, byte[]> range = events.subMap(run[0], true, run[0] + run[1] - 1, true);
            settled += range.size();
            range.clear();
        }
        nextSeq = maxSeq + 1;
        List<Event> recovered = new ArrayList<>(events.size());
        events.forEach((seq, json) -> {
            pending.put(seq, json);
            recovered.add(new Event(seq, json));
        });
        writeLock.lock();
        try {
            rewrite();
        } finally {
            writeLock.unlock();
        }
        return new Recovery(List.copyOf(recovered), settled, corrupt);
    }

    /** The payload length of a valid frame at {@code position}, or -1 when none starts there. */
    static int frameLength(byte[] bytes, int position) {
        if (bytes.length - position < HEADER_BYTES) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, position, HEADER_BYTES);
        if (header.getInt() != MAGIC) {
            return -1;
        }
        byte type = header.get();
        int length = header.getInt();
        int crc = header.getInt();
        if (type != EVENT && type != DONE || length < (type == EVENT ? 8 : 0) || length > MAX_PAYLOAD_BYTES
                || length > bytes.length - position - HEADER_BYTES) {
            return -1;
        }
        CRC32C check = new CRC32C();
        check.update(bytes, position + 4, 5);
        check.update(bytes, position + HEADER_BYTES, length);
        return (int) check.getValue() == crc ? length : -1;
    }

    /** The next position from {@code from} where a valid frame starts, or the end of the bytes. */
    private static int nextFrame(byte[] bytes, int from) {
        for (int p = from; p <= bytes.length - HEADER_BYTES; p++) {
            if (bytes[p] == 'U' && bytes[p + 1] == 'S' && bytes[p + 2] == 'P' && bytes[p + 3] == '1'
                    && frameLength(bytes, p) >= 0) {
                return p;
            }
        }
        return bytes.length;
    }

    // ---- appending

    /**
     * Appends events (their batch JSON) and makes them as durable as the policy says before returning.
     *
     * @return the events with their sequences, in the given order
     */
    List<Event> append(List<byte[]> jsons) throws IOException {
        List<Event> events = new ArrayList<>(jsons.size());
        long target;
        writeLock.lock();
        try {
            ensureOpen();
            int size = 0;
            for (byte[] json : jsons) {
                size += HEADER_BYTES + 8 + json.length;
            }
            ByteBuffer frames = ByteBuffer.allocate(size);
            for (byte[] json : jsons) {
                Event event = new Event(nextSeq++, json);
                putEvent(frames, event);
                events.add(event);
            }
            frames.flip();
            writeFully(channel, frames);
            for (Event event : events) {
                pending.put(event.seq(), event.json());
                liveBytes += event.frameBytes();
            }
            fileBytes += size;
            appendedBytes += size;
            target = appendedBytes;
        } finally {
            writeLock.unlock();
        }
        if (policy.kind() == FsyncPolicy.Kind.ALWAYS) {
            syncTo(target);
        }
        return events;
    }

    /** Records that the server settled or refused these events; they are never sent again. */
    void markDone(long[] seqs) throws IOException {
        if (seqs.length == 0) {
            return;
        }
        long[] sorted = seqs.clone();
        java.util.Arrays.sort(sorted);
        List<long[]> runs = new ArrayList<>();
        for (long seq : sorted) {
            long[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last[0] + last[1] == seq) {
                last[1]++;
            } else if (last == null || last[0] + last[1] - 1 < seq) {
                runs.add(new long[] {seq, 1});
            }
        }
        long target;
        writeLock.lock();
        try {
            ensureOpen();
            ByteBuffer payload = ByteBuffer.allocate(runs.size() * 12);
            for (long[] run : runs) {
                payload.putLong(run[0]).putInt((int) run[1]);
            }
            payload.flip();
            ByteBuffer frame = frame(DONE, payload);
            int size = frame.remaining();
            writeFully(channel, frame);
            fileBytes += size;
            appendedBytes += size;
            target = appendedBytes;
            for (long seq : sorted) {
                byte[] json = pending.remove(seq);
                if (json != null) {
                    liveBytes -= HEADER_BYTES + 8 + json.length;
                }
            }
            if (fileBytes >= compactBytes && fileBytes >= 2 * liveBytes) {
                rewrite();
            }
        } finally {
            writeLock.unlock();
        }
        if (policy.kind() == FsyncPolicy.Kind.ALWAYS) {
            syncTo(target);
        }
    }

    /** Forces everything appended so far (the interval policy's background thread, and close). */
    void sync() throws IOException {
        long target;
        writeLock.lock();
        try {
            target = appendedBytes;
        } finally {
            writeLock.unlock();
        }
        syncTo(target);
    }

    /**
     * Forces the log until at least {@code target} logical bytes are on disk. One caller forces at a time; the others
     * wait for it, and one force covers every append made before it started (group commit).
     */
    private void syncTo(long target) throws IOException {
        while (true) {
            synchronized (syncMonitor) {
                while (syncedBytes < target && syncing) {
                    try {
                        syncMonitor.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while forcing the spool");
                    }
                }
                if (syncedBytes >= target) {
                    return;
                }
                syncing = true;
            }
            long upTo;
            FileChannel current;
            writeLock.lock();
            try {
                upTo = appendedBytes;
                current = channel;
            } finally {
                writeLock.unlock();
            }
            boolean forced = false;
            try {
                current.force(false);
                forced = true;
            } catch (ClosedChannelException swapped) {
                // A compaction replaced the file (forcing the new one, with everything pending, first), or close did.
                if (closed) {
                    throw swapped;
                }
                forced = true;
            } finally {
                synchronized (syncMonitor) {
                    syncing = false;
                    if (forced) {
                        syncedBytes = Math.max(syncedBytes, upTo);
                    }
                    syncMonitor.notifyAll();
                }
            }
        }
    }

    // ---- compaction

    /**
     * Rewrites the pending events to a fresh file, forces it, renames it over the log and forces the directory; then
     * appends go to the new file. Caller holds writeLock.
     */
    private void rewrite() throws IOException {
        Path compact = directory.resolve(COMPACT_FILE);
        long size = 0;
        try (FileChannel out = FileChannel.open(compact, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            for (Iterator<Map.Entry<Long, byte[]>> it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, byte[]> entry = it.next();
                Event event = new Event(entry.getKey(), entry.getValue());
                if (buffer.remaining() < event.frameBytes()) {
                    buffer.flip();
                    writeFully(out, buffer);
                    buffer = ByteBuffer.allocate(Math.max(1 << 20, event.frameBytes()));
                }
                putEvent(buffer, event);
                size += event.frameBytes();
            }
            buffer.flip();
            writeFully(out, buffer);
            out.force(true);
        }
        Path log = directory.resolve(LOG_FILE);
        Files.move(compact, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(directory);
        FileChannel previous = channel;
        channel = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (previous != null) {
            previous.close();
        }
        fileBytes = size;
        liveBytes = size;
        synchronized (syncMonitor) {
            syncedBytes = Math.max(syncedBytes, appendedBytes);
            syncMonitor.notifyAll();
        }
    }

    /** Makes a rename in the directory durable (not supported on every platform; there it is skipped). */
    static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // Windows cannot open a directory as a channel; NTFS journals the rename itself.
        }
    }

    // ---- frames

    private static void putEvent(ByteBuffer buffer, Event event) {
        int length = 8 + event.json().length;
        int start = buffer.position();
        buffer.putInt(MAGIC).put(EVENT).putInt(length).putInt(0).putLong(event.seq()).put(event.json());
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), buffer.arrayOffset() + start + 4, 5);
        crc.update(buffer.array(), buffer.arrayOffset() + start + HEADER_BYTES, length);
        buffer.putInt(start + 9, (int) crc.getValue());
    }

    static ByteBuffer frame(byte type, ByteBuffer payload) {
        int length = payload.remaining();
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + length);
        frame.putInt(MAGIC).put(type).putInt(length).putInt(0).put(payload.duplicate());
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), 4, 5);
        crc.update(frame.array(), HEADER_BYTES, length);
        frame.putInt(9, (int) crc.getValue());
        frame.flip();
        return frame;
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    // ---- state

    long fileBytes() {
        writeLock.lock();
        try {
            return fileBytes;
        } finally {
            writeLock.unlock();
        }
    }

    int pendingEvents() {
        writeLock.lock();
        try {
            return pending.size();
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                if (channel != null) {
                    channel.force(false);
                }
            } catch (AsynchronousCloseException ignored) {
                // already closed
            } finally {
                closed = true;
                if (channel != null) {
                    channel.close();
                }
                lock.release();
                lockChannel.close();
            }
        } finally {
            writeLock.unlock();
        }
    }
}
