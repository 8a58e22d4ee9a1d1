package dev.ltxvfs.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.GatedStore;
import dev.ltxvfs.index.History;
import dev.ltxvfs.index.IndexBuilder;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.ReplicaFixture;
import dev.ltxvfs.index.RestoreTarget;
import dev.ltxvfs.ltx.LtxFormatException;
import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ObjectNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCacheTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int PAGE = 4096;

    @TempDir
    Path dir;

    /** A replica holding one snapshot of {@code pages} pages, version 1 each. */
    static LtxFileInfo snapshot(Path dir, int pages) throws Exception {
        Map<Integer, Long> content = new HashMap<>();
        for (int p = 1; p <= pages; p++) {
            content.put(p, 1L);
        }
        return new ReplicaFixture(dir, PAGE).write(9, 1, 1, pages, content);
    }

    static IndexSnapshot open(LocalDirStore store) {
        return new IndexBuilder(store).open(RestoreTarget.LATEST).await().atMost(WAIT);
    }

    @Test
    void concurrentMissesOnOneFrameCauseOneRead() throws Exception {
        snapshot(dir, 8);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            GatedStore gated = new GatedStore(local);
            PageCache cache = new PageCache(1 << 20, 0);
            StoreHandle h = cache.register(gated);

            int threads = 16;
            CyclicBarrier start = new CyclicBarrier(threads);
            List<CompletableFuture<byte[]>> pages = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        CompletableFuture<byte[]> f = cache.pageAsync(h, s, 3);
                        synchronized (pages) {
                            pages.add(f);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                workers.add(t);
            }
            for (Thread t : workers) {
                t.join();
            }
            gated.open(); // every thread has asked while the one read was held

            for (CompletableFuture<byte[]> f : pages) {
                assertThat(f.get()).isEqualTo(ReplicaFixture.page(PAGE, 3, 1));
            }
            assertThat(pages).hasSize(threads);
            assertThat(gated.reads.get()).isEqualTo(1);
            assertThat(cache.stats().misses()).isEqualTo(1);
            assertThat(cache.stats().hits()).isEqualTo(threads - 1);
        }
    }

    @Test
    void theByteBoundIsKept() throws Exception {
        snapshot(dir, 100);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            long bound = 10L * (PAGE + PageCache.ENTRY_OVERHEAD);
            PageCache cache = new PageCache(bound, 0, Runnable::run);
            StoreHandle h = cache.register(store);
            byte[] dst = new byte[PAGE];
            for (int p = 1; p <= 100; p++) {
                cache.readPage(h, s, p, dst, 0, WAIT);
                assertThat(dst).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
            }
            cache.cleanUp();
            CacheStats stats = cache.stats();
            assertThat(stats.bytes()).isLessThanOrEqualTo(bound);
            assertThat(stats.entries()).isLessThanOrEqualTo(10);
            assertThat(stats.evictions()).isGreaterThanOrEqualTo(90);
            assertThat(stats.misses()).isEqualTo(100);
        }
    }

    @Test
    void aFailedReadIsNotCachedAndKeepsItsType() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        // The index says page 1 lives in a file the store does not have (yet).
        LtxFileInfo missing = new LtxFileInfo(0, 1, 1, 5000, ReplicaFixture.T0);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            PageCache cache = new PageCache(1 << 20);
            byte[] dst = new byte[PAGE];
            FrameLocation where = new FrameLocation(missing, 100, 50);
            assertThatThrownBy(() -> cache.readPage(store, where, 1, PAGE, dst, WAIT))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining(missing.fileName());
            assertThat(cache.contains(cache.register(store), where)).isFalse();

            LtxFileInfo now = fx.write(0, 1, 1, 1, Map.of(1, 1L));
            IndexSnapshot s = open(store);
            FrameLocation real = s.lookup(1);
            assertThat(real.file()).isEqualTo(now);
            cache.readPage(store, real, 1, PAGE, dst, WAIT);
            assertThat(dst).isEqualTo(ReplicaFixture.page(PAGE, 1, 1));
            assertThat(cache.stats().fetchFailures()).isEqualTo(1);
        }
    }

    @Test
    void aFrameThatHoldsAnotherPageIsRefusedAndNotCached() throws Exception {
        snapshot(dir, 4);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            PageCache cache = new PageCache(1 << 20);
            byte[] dst = new byte[PAGE];
            assertThatThrownBy(() -> cache.readPage(store, s.lookup(2), 3, PAGE, dst, WAIT))
                    .isInstanceOf(LtxFormatException.class)
                    .hasMessageContaining("expected page 3");
            cache.readPage(store, s.lookup(2), 2, PAGE, dst, WAIT); // retried, not served from cache
            assertThat(dst).isEqualTo(ReplicaFixture.page(PAGE, 2, 1));
            assertThat(cache.stats().misses()).isEqualTo(2);
        }
    }

    @Test
    void aDeadlineEndsTheWaitButNotTheFetch() throws Exception {
        snapshot(dir, 2);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            GatedStore gated = new GatedStore(local);
            PageCache cache = new PageCache(1 << 20, 0);
            StoreHandle h = cache.register(gated);
            byte[] dst = new byte[PAGE];
            assertThatThrownBy(() -> cache.readPage(h, s, 1, dst, 0, Duration.ofMillis(20)))
                    .isInstanceOf(PageReadTimeoutException.class)
                    .hasMessageContaining("page 1");
            gated.open();
            cache.readPage(h, s, 1, dst, 0, WAIT);
            assertThat(dst).isEqualTo(ReplicaFixture.page(PAGE, 1, 1));
            assertThat(gated.reads.get()).isEqualTo(1); // the second read joined the first fetch
        }
    }

    @Test
    void replicasWithTheSameFileNamesDoNotShareEntries() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        new ReplicaFixture(a, PAGE).write(0, 1, 1, 1, Map.of(1, 1L));
        new ReplicaFixture(b, PAGE).write(0, 1, 1, 1, Map.of(1, 2L)); // same name, other content
        try (LocalDirStore sa = new LocalDirStore(a); LocalDirStore sb = new LocalDirStore(b)) {
            PageCache cache = new PageCache(1 << 20);
            byte[] dst = new byte[PAGE];
            cache.readPage(cache.register(sa), open(sa), 1, dst, 0, WAIT);
            assertThat(dst).isEqualTo(ReplicaFixture.page(PAGE, 1, 1));
            cache.readPage(cache.register(sb), open(sb), 1, dst, 0, WAIT);
            assertThat(dst).isEqualTo(ReplicaFixture.page(PAGE, 1, 2));
            assertThat(cache.register(sa)).isEqualTo(cache.register(sa));
            assertThat(cache.register(sa).id()).isNotEqualTo(cache.register(sb).id());
        }
    }

    @Test
    void readaheadTurnsASequentialScanIntoFewReads() throws Exception {
        snapshot(dir, 200);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            long before = store.stats().gets.sum();
            PageCache cache = new PageCache(64 << 20, 16 * 1024);
            StoreHandle h = cache.register(store);
            byte[] dst = new byte[PAGE];
            long frameBytes = 0;
            int largestFrame = 0;
            for (int p = 1; p <= 200; p++) {
                cache.readPage(h, s, p, dst, 0, WAIT);
                assertThat(dst).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
                frameBytes += s.lookup(p).size();
                largestFrame = Math.max(largestFrame, s.lookup(p).size());
            }
            CacheStats stats = cache.stats();
            long reads = store.stats().gets.sum() - before;
            assertThat(reads).isEqualTo(stats.fetches());
            // A read stops only when the next frame would pass 16 KiB, so each but the last
            // covers more than 16 KiB minus one frame.
            assertThat(reads).isLessThanOrEqualTo(frameBytes / (16 * 1024 - largestFrame) + 1);
            assertThat(reads).isLessThan(200 / 4);
            assertThat(stats.readaheadPages()).isEqualTo(200 - stats.misses());
            assertThat(stats.hits() + stats.misses()).isEqualTo(200);
        }
    }

    @Test
    void readaheadAcrossFilesStillServesEveryPageItsNewestVersion() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        History history = new History(3, 30, 120);
        fx.write(history, 9, 1, 10);
        fx.write(history, 1, 11, 20);
        for (long t = 21; t <= 30; t++) {
            fx.write(history, 0, t, t);
        }
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            PageCache cache = new PageCache(64 << 20);
            StoreHandle h = cache.register(store);
            byte[] dst = new byte[PAGE];
            Map<Integer, Long> state = history.stateAt(30);
            for (int round = 0; round < 2; round++) {
                for (int p = 1; p <= s.commit(); p++) {
                    cache.readPage(h, s, p, dst, 0, WAIT);
                    assertThat(dst).as("page %d", p).isEqualTo(ReplicaFixture.page(PAGE, p, state.get(p)));
                }
            }
            assertThat(cache.stats().hits()).isGreaterThanOrEqualTo(s.commit()); // the second round is all hits
            assertThat(cache.stats().fetches()).isLessThan(s.commit());
        }
    }

    @Test
    void aPageOutsideTheIndexIsAClearError() throws Exception {
        snapshot(dir, 2);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            PageCache cache = new PageCache(1 << 20);
            assertThatThrownBy(() -> cache.readPage(cache.register(store), s, 3, new byte[PAGE], 0, WAIT))
                    .hasMessageContaining("page 3 is not in the index")
                    .hasMessageContaining("database has 2 pages");
        }
    }
}
