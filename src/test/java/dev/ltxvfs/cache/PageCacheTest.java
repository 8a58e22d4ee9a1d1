package dev.ltxvfs.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
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

    /** A cache without readahead: every miss reads exactly its page. */
    static PageCache noReadahead(long bytes) {
        return new PageCache(bytes, 0, PageCache.DEFAULT_READAHEAD_BUDGET_BYTES, ForkJoinPool.commonPool());
    }

    @Test
    void concurrentMissesOnOneFrameCauseOneRead() throws Exception {
        snapshot(dir, 8);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            GatedStore gated = new GatedStore(local);
            PageCache cache = noReadahead(1 << 20);
            ReplicaPages pages = new ReplicaPages(cache, gated, WAIT);

            int threads = 16;
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<byte[]>> reads = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                for (int i = 0; i < threads; i++) {
                    reads.add(pool.submit(() -> {
                        start.await();
                        return pages.page(s, 3, null);
                    }));
                }
                while (cache.stats().hits() + cache.stats().misses() < threads) {
                    Thread.onSpinWait(); // every thread has asked while the one read is held
                }
                gated.open();
                for (Future<byte[]> f : reads) {
                    assertThat(f.get()).isEqualTo(ReplicaFixture.page(PAGE, 3, 1));
                }
            }
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
            PageCache cache = new PageCache(bound, 0, PageCache.DEFAULT_READAHEAD_BUDGET_BYTES, Runnable::run);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            for (int p = 1; p <= 100; p++) {
                assertThat(pages.page(s, p, null)).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
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
        LtxFileInfo file = snapshot(dir, 2);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            Path path = store.pathOf(file);
            byte[] bytes = Files.readAllBytes(path);
            Files.delete(path); // gone after the index was built, as compaction does it
            PageCache cache = new PageCache(1 << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            assertThatThrownBy(() -> pages.page(s, 1, null))
                    .isInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining(file.fileName());

            Files.write(path, bytes);
            assertThat(pages.page(s, 1, null)).isEqualTo(ReplicaFixture.page(PAGE, 1, 1));
            assertThat(cache.stats().misses()).isEqualTo(2);
            assertThat(cache.stats().fetchFailures()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aFrameThatHoldsAnotherPageIsRefusedAndNotCached() throws Exception {
        LtxFileInfo file = snapshot(dir, 4);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            Path path = store.pathOf(file);
            byte[] good = Files.readAllBytes(path);
            byte[] bad = good.clone();
            bad[(int) s.frame(2).offset() + 3] = 3; // the frame of page 2 now says page 3
            Files.write(path, bad);
            PageCache cache = noReadahead(1 << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            assertThatThrownBy(() -> pages.page(s, 2, null))
                    .isInstanceOf(LtxFormatException.class)
                    .hasMessageContaining("expected page 2");
            assertThat(pages.page(s, 3, null)).isEqualTo(ReplicaFixture.page(PAGE, 3, 1)); // only that frame fails
            Files.write(path, good);
            assertThat(pages.page(s, 2, null)).isEqualTo(ReplicaFixture.page(PAGE, 2, 1)); // retried, not served from cache
            assertThat(cache.stats().misses()).isEqualTo(3);
        }
    }

    @Test
    void aDeadlineEndsTheWaitButNotTheFetch() throws Exception {
        snapshot(dir, 2);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            GatedStore gated = new GatedStore(local);
            PageCache cache = noReadahead(1 << 20);
            assertThatThrownBy(() -> new ReplicaPages(cache, gated, Duration.ofMillis(20)).page(s, 1, null))
                    .isInstanceOf(PageReadTimeoutException.class)
                    .hasMessageContaining("page 1");
            gated.open();
            assertThat(new ReplicaPages(cache, gated, WAIT).page(s, 1, null)).isEqualTo(ReplicaFixture.page(PAGE, 1, 1));
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
            assertThat(new ReplicaPages(cache, sa, WAIT).page(open(sa), 1, null)).isEqualTo(ReplicaFixture.page(PAGE, 1, 1));
            assertThat(new ReplicaPages(cache, sb, WAIT).page(open(sb), 1, null)).isEqualTo(ReplicaFixture.page(PAGE, 1, 2));
            assertThat(cache.register(sa)).isEqualTo(cache.register(sa));
            assertThat(cache.register(sa).id()).isNotEqualTo(cache.register(sb).id());
        }
    }

    @Test
    void aMissFetchesTheAdjacentFramesWithItsOwn() throws Exception {
        snapshot(dir, 200);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            long before = store.stats().gets.sum();
            PageCache cache = new PageCache(64 << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            for (int p = 1; p <= 200; p++) {
                assertThat(pages.page(s, p, null)).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
            }
            CacheStats stats = cache.stats();
            long reads = store.stats().gets.sum() - before;
            assertThat(reads).isEqualTo(stats.fetches()).isEqualTo(stats.misses());
            // Each read covers up to 64 KiB of frames: 16 pages' worth at least.
            assertThat(reads).isLessThanOrEqualTo(200 / 16 + 1);
            assertThat(stats.readaheadPages()).isEqualTo(200 - stats.misses());
        }
    }

    @Test
    void aPageOutsideTheIndexIsAClearError() throws Exception {
        snapshot(dir, 2);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            ReplicaPages pages = new ReplicaPages(new PageCache(1 << 20), store, WAIT);
            assertThatThrownBy(() -> pages.page(s, 3, null))
                    .hasMessageContaining("page 3 is not in the index")
                    .hasMessageContaining("database has 2 pages");
        }
    }
}
