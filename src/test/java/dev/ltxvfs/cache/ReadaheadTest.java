package dev.ltxvfs.cache;

import static dev.ltxvfs.cache.PageCacheTest.PAGE;
import static dev.ltxvfs.cache.PageCacheTest.WAIT;
import static dev.ltxvfs.cache.PageCacheTest.open;
import static dev.ltxvfs.cache.PageCacheTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.index.History;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.ReplicaFixture;
import dev.ltxvfs.store.LocalDirStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadaheadTest {

    @TempDir
    Path dir;

    @Test
    void aScanGrowsItsWindowsAndReadsFarFewerTimesThanItHasPages() throws Exception {
        int n = 4000;
        snapshot(dir, n);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            PageCache cache = new PageCache(256L << 20, 1 << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            ReadStream stream = pages.newStream();
            for (int p = 1; p <= n; p++) {
                assertThat(pages.page(s, p, stream)).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
            }
            List<Integer> reads = store.reads;
            assertThat(reads.size()).isLessThan(n / 16);
            // Windows double from 64 KiB of pages to the 1 MiB cap: the largest read is many times the first.
            int largest = reads.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(largest).isGreaterThan(8 * reads.getFirst());
            assertThat(largest).isLessThanOrEqualTo(ReplicaPages.READAHEAD_GET_BYTES);
            assertThat(cache.stats().hits()).isGreaterThan(n - n / 16);
        }
    }

    @Test
    void aScanThatRunsFromCachedPagesIntoColdOnesStartsReadingAheadAtTheColdOnes() throws Exception {
        int n = 4000;
        snapshot(dir, n);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            PageCache cache = new PageCache(256L << 20, 1 << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            for (int p = 1; p <= n / 2; p++) {
                pages.page(s, p, null); // the first half cached, in demand runs only
            }
            int before = store.reads.size();
            ReadStream stream = pages.newStream();
            for (int p = 1; p <= n; p++) { // warm hits (not followed), then the cold half
                assertThat(pages.page(s, p, stream)).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
            }
            // Demand runs alone would take one read per 16 pages of the cold half: readahead takes far fewer.
            assertThat(store.reads.size() - before).isLessThan(n / 2 / 16 / 2);
        }
    }

    @Test
    void aPointLookupPatternStartsNoReadahead() throws Exception {
        snapshot(dir, 2000);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            PageCache cache = new PageCache(64L << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            ReadStream stream = pages.newStream();
            for (int p : new int[] {1, 2, 900, 1500, 37, 1200}) { // root, interior, leaves
                pages.page(s, p, stream);
            }
            assertThat(store.reads).hasSize(5); // page 2 came with page 1's adjacent frames
            assertThat(store.reads).allMatch(len -> len <= PageCache.DEMAND_RUN_BYTES);
        }
    }

    @Test
    void theBudgetBoundsReadaheadBytesInFlight() throws Exception {
        snapshot(dir, 3000);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            long budget = 256 << 10;
            PageCache cache = new PageCache(256L << 20, 8 << 20, budget, ForkJoinPool.commonPool());
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            for (int p = 2; p <= 64; p++) {
                pages.page(s, p, null); // cached, no stream: no readahead yet
            }
            // Page 1 alone is read (its neighbours are cached); every readahead GET spans more and stays in flight.
            int pageOne = s.frame(1).size();
            store.hold(len -> len > pageOne);
            ReadStream stream = pages.newStream();
            for (int p = 1; p <= 64; p++) {
                pages.page(s, p, stream); // a miss, then hits: readahead runs ahead while nothing comes back
            }
            assertThat(store.maxHeldBytes.get()).isPositive().isLessThanOrEqualTo(budget);
            assertThat(pages.readaheadInFlight()).isLessThanOrEqualTo(budget);
            store.release();
            for (int p = 1; p <= 3000; p++) {
                assertThat(pages.page(s, p, stream)).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
            }
        }
    }

    @Test
    void readaheadAcrossFilesServesEveryPageItsNewestVersion() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        History history = new History(3, 30, 1200);
        fx.write(history, 9, 1, 10);
        fx.write(history, 1, 11, 20);
        for (long t = 21; t <= 30; t++) {
            fx.write(history, 0, t, t);
        }
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = open(store);
            PageCache cache = new PageCache(64 << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            Map<Integer, Long> state = history.stateAt(30);
            for (int round = 0; round < 2; round++) {
                ReadStream stream = pages.newStream();
                for (int p = 1; p <= s.commit(); p++) {
                    assertThat(pages.page(s, p, stream)).as("page %d", p).isEqualTo(ReplicaFixture.page(PAGE, p, state.get(p)));
                }
            }
            assertThat(cache.stats().hits()).isGreaterThanOrEqualTo(s.commit()); // the second round is all hits
            assertThat(cache.stats().fetches()).isLessThan(s.commit() / 16);
        }
    }

    @Test
    void aScanOfADatabaseFourTimesTheCacheKeepsTheHotSet() throws Exception {
        int n = 4000;
        snapshot(dir, n);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            long bound = (long) n / 4 * (PAGE + PageCache.ENTRY_OVERHEAD);
            PageCache cache = new PageCache(bound, 8 << 20, PageCache.DEFAULT_READAHEAD_BUDGET_BYTES, Runnable::run);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            int[] hot = {1, 2, 3, 500, 1000, 1500, 2000, 2500, 3000, 3500}; // page 1, schema, interior pages
            scan(pages, s, n); // a full cache, as in a process that has run for a while
            for (int round = 0; round < 6; round++) { // a few point lookups, each on a fresh connection
                for (int p : hot) {
                    pages.page(s, p, pages.newStream());
                }
            }
            scan(pages, s, n);
            cache.cleanUp();
            assertThat(cache.stats().evictions()).isGreaterThan(n);
            int before = store.reads.size();
            for (int p : hot) {
                pages.page(s, p, pages.newStream());
            }
            // Without scan resistance (an LRU) all 10 come back from storage. Caffeine's W-TinyLFU adapts
            // its window to the hit rate and admits with a little randomness (against hash flooding), so
            // usually none or one, on rare runs (about 1 in 10) up to four hot pages lose their place.
            assertThat(store.reads.size() - before).as("reads for the hot set after the scan").isLessThanOrEqualTo(5);
        }
    }

    private static void scan(ReplicaPages pages, IndexSnapshot s, int n) throws Exception {
        ReadStream stream = pages.newStream();
        for (int p = 1; p <= n; p++) {
            assertThat(pages.page(s, p, stream)).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
        }
    }
}
