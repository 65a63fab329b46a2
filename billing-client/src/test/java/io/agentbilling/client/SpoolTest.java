package io.agentbilling.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool file on its own, on a real file system: what a reopened spool recovers after the process stopped at any
 * point — including a write torn by {@code kill -9} or garbage left by a power loss — and that compaction and
 * concurrent appends keep exactly the unsettled events.
 */
class SpoolTest {
    private static final long NO_COMPACTION = Long.MAX_VALUE;

    @TempDir
    Path dir;

    private static List<byte[]> events(String prefix, int count) {
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(("{\"type\":\"tool\",\"idempotencyKey\":\"" + prefix + i + "\"}").getBytes(UTF_8));
        }
        return events;
    }

    private static List<String> texts(List<Spool.Event> events) {
        return events.stream().map(e -> new String(e.json(), UTF_8)).toList();
    }

    private static List<String> texts(Iterable<byte[]> events) {
        List<String> texts = new ArrayList<>();
        events.forEach(e -> texts.add(new String(e, UTF_8)));
        return texts;
    }

    @Test
    void a_reopened_spool_recovers_every_unsettled_event_in_order_and_nothing_settled() throws IOException {
        List<Spool.Event> appended;
        try (Spool spool = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            assertThat(spool.recovery().pending()).isEmpty();
            appended = spool.append(events("e", 10));
            spool.markDone(new long[] {appended.get(0).seq(), appended.get(4).seq(), appended.get(5).seq()});
            spool.markDone(new long[] {appended.get(9).seq()});
        }
        try (Spool reopened = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            Spool.Recovery recovery = reopened.recovery();
            assertThat(texts(recovery.pending())).isEqualTo(texts(List.of(appended.get(1), appended.get(2),
                    appended.get(3), appended.get(6), appended.get(7), appended.get(8))));
            assertThat(recovery.pending()).extracting(Spool.Event::seq).isSorted();
            assertThat(recovery.settledFrames()).isEqualTo(4);
            assertThat(recovery.corruptBytes()).isZero();
            List<Spool.Event> more = reopened.append(events("f", 1));
            assertThat(more.get(0).seq()).as("sequences continue past the recovered ones")
                    .isGreaterThan(appended.get(9).seq());
        }
    }

    @Test
    void a_write_torn_at_the_tail_loses_only_the_torn_event() throws IOException {
        try (Spool spool = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            spool.append(events("e", 3));
        }
        Path log = dir.resolve(Spool.LOG_FILE);
        long size = Files.size(log);
        for (int cut : new int[] {1, 7, 20}) {
            try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
                file.setLength(size - cut); // the process died inside the last write(2)
            }
            try (Spool reopened = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
                assertThat(texts(reopened.recovery().pending())).containsExactlyElementsOf(
                        texts(events("e", 2)));
                assertThat(reopened.recovery().corruptBytes()).isPositive();
                reopened.append(events("e2-", 1)); // appends go after the recovered events, not after the tear
            }
            try (Spool again = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
                assertThat(texts(again.recovery().pending())).containsExactly(texts(events("e", 2)).get(0),
                        texts(events("e", 2)).get(1), "{\"type\":\"tool\",\"idempotencyKey\":\"e2-0\"}");
                assertThat(again.recovery().corruptBytes()).as("the recovery rewrote a clean file").isZero();
                // back to three events for the next cut: drop the one appended above, add e2 back
                again.markDone(new long[] {again.recovery().pending().get(2).seq()});
                again.append(List.of(events("e", 3).get(2)));
            }
            size = Files.size(log);
        }
    }

    @Test
    void garbage_inside_the_file_is_skipped_and_the_frames_after_it_are_recovered() throws IOException {
        List<Spool.Event> appended;
        try (Spool spool = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            appended = spool.append(events("e", 5));
        }
        Path log = dir.resolve(Spool.LOG_FILE);
        int secondFrame = appended.get(0).frameBytes();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "rw")) {
            file.seek(secondFrame + Spool.HEADER_BYTES + 10);
            file.write("XXXX".getBytes(UTF_8)); // a flipped block inside the second event
            file.seek(file.length());
            file.write(new byte[4096]); // and a block of zeros at the end, as a power loss can leave
        }
        try (Spool reopened = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            assertThat(texts(reopened.recovery().pending())).containsExactly(texts(appended).get(0),
                    texts(appended).get(2), texts(appended).get(3), texts(appended).get(4));
            assertThat(reopened.recovery().corruptBytes()).isEqualTo(appended.get(1).frameBytes() + 4096);
        }
    }

    @Test
    void a_rewrite_interrupted_before_its_rename_leaves_the_log_in_force() throws IOException {
        try (Spool spool = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            spool.append(events("e", 2));
        }
        Files.write(dir.resolve(Spool.COMPACT_FILE), "half a rewrite".getBytes(UTF_8));
        try (Spool reopened = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            assertThat(texts(reopened.recovery().pending())).containsExactlyElementsOf(texts(events("e", 2)));
        }
        assertThat(dir.resolve(Spool.COMPACT_FILE)).doesNotExist();
    }

    @Test
    void compaction_keeps_the_file_small_and_exactly_the_unsettled_events() throws IOException {
        Set<String> pending = new HashSet<>();
        try (Spool spool = Spool.open(dir, FsyncPolicy.never(), 16 * 1024)) {
            for (int round = 0; round < 50; round++) {
                List<Spool.Event> batch = spool.append(events("r" + round + "-", 40));
                long[] done = new long[36];
                for (int i = 0; i < 36; i++) {
                    done[i] = batch.get(i).seq();
                }
                spool.markDone(done);
                texts(batch.subList(36, 40)).forEach(pending::add);
                assertThat(spool.fileBytes()).as("compacted whenever it passes 16 KiB and is mostly settled")
                        .isLessThan(2 * 16 * 1024 + 8 * 1024);
            }
            assertThat(spool.pendingEvents()).isEqualTo(200);
        }
        try (Spool reopened = Spool.open(dir, FsyncPolicy.never(), 16 * 1024)) {
            assertThat(texts(reopened.recovery().pending())).containsExactlyInAnyOrderElementsOf(pending);
        }
    }

    @Test
    void concurrent_appends_settlements_and_compactions_lose_and_resurrect_nothing() throws Exception {
        Set<String> unsettled = Collections.synchronizedSet(new HashSet<>());
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try (Spool spool = Spool.open(dir, FsyncPolicy.always(), 32 * 1024)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        List<Spool.Event> added = spool.append(events("t" + thread + "-" + i + "-", 1 + i % 5));
                        List<Long> done = new ArrayList<>();
                        for (Spool.Event event : added) {
                            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                                unsettled.add(new String(event.json(), UTF_8));
                            } else {
                                done.add(event.seq());
                            }
                        }
                        spool.markDone(done.stream().mapToLong(Long::longValue).toArray());
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get();
            }
        } finally {
            threads.shutdownNow();
        }
        try (Spool reopened = Spool.open(dir, FsyncPolicy.always(), 32 * 1024)) {
            assertThat(texts(reopened.recovery().pending())).containsExactlyInAnyOrderElementsOf(unsettled);
            assertThat(reopened.recovery().corruptBytes()).isZero();
        }
    }

    @Test
    void a_second_spool_on_the_same_directory_is_refused_until_the_first_closes() throws IOException {
        try (Spool first = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            assertThatThrownBy(() -> Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
            first.append(events("e", 1));
        }
        try (Spool second = Spool.open(dir, FsyncPolicy.always(), NO_COMPACTION)) {
            assertThat(second.recovery().pending()).hasSize(1);
        }
    }

    @Test
    void frames_check_their_length_and_checksum() {
        byte[] frame = Spool.frame(Spool.DONE, java.nio.ByteBuffer.wrap(new byte[12])).array();
        assertThat(Spool.frameLength(frame, 0)).isEqualTo(12);
        frame[Spool.HEADER_BYTES + 3] ^= 1;
        assertThat(Spool.frameLength(frame, 0)).isEqualTo(-1);
        assertThat(Spool.frameLength(new byte[Spool.HEADER_BYTES], 0)).isEqualTo(-1);
    }
}
