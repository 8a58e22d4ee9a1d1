package dev.ltxvfs.cache;

import static dev.ltxvfs.cache.PageCacheTest.PAGE;
import static dev.ltxvfs.cache.PageCacheTest.WAIT;
import static dev.ltxvfs.cache.PageCacheTest.open;
import static dev.ltxvfs.cache.PageCacheTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.ReplicaFixture;
import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.LtxFileInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HydrationTest {

    @TempDir
    Path dir;

    @Test
    void hydrationFillsTheCacheInAFewLargeReads() throws Exception {
        int n = 3000;
        snapshot(dir, n);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            PageCache cache = new PageCache(64L << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            awaitProgress(pages, 100);
            long bytes = 0;
            for (int p = 1; p <= n; p++) {
                bytes += s.frame(p).size();
            }
            assertThat(store.reads.size()).isLessThanOrEqualTo((int) (bytes / Hydration.GET_BYTES) + 2);
            int before = store.reads.size();
            for (int p = 1; p <= n; p++) {
                assertThat(pages.page(s, p, null)).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
            }
            assertThat(store.reads.size()).isEqualTo(before); // every query is warm
        }
    }

    @Test
    void aSmallFileWithPagesAllOverTheDatabaseIsReadInOneGet() throws Exception {
        Path db = dir.resolve("random.db");
        var writer = randomReplica(db);
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("UPDATE t SET b = randomblob(1000) WHERE id % 2000 = 7"); // 10 pages, all over the table
            writer.commit(db, java.time.Instant.EPOCH.plusSeconds(1));
        }
        try (LocalDirStore local = new LocalDirStore(writer.dir())) {
            IndexSnapshot s = open(local);
            LtxFileInfo update = s.files().getLast();
            RecordingStore store = new RecordingStore(local);
            ReplicaPages pages = new ReplicaPages(new PageCache(256L << 20), store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            awaitProgress(pages, 100);
            // Page 1's read at the open (page 1 changed too), and the rest of the file in one GET: not one per 4 MiB chunk.
            assertThat(store.files.stream().filter(update::equals).count()).isLessThanOrEqualTo(2);
            assertThat(store.reads.size()).isLessThanOrEqualTo((int) (s.sizeBytes() / Hydration.GET_BYTES) + 4);
        }
    }

    @Test
    void theSmallFilesAreReadBeforeTheSnapshotsChunks() throws Exception {
        // Their pages lie all over the database: at the end of the pass, a query would wait for them.
        Path db = dir.resolve("random.db");
        var writer = randomReplica(db); // three 8 MiB chunks
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("UPDATE t SET b = randomblob(1000) WHERE id % 2000 = 7");
            writer.commit(db, java.time.Instant.EPOCH.plusSeconds(1));
        }
        try (LocalDirStore local = new LocalDirStore(writer.dir())) {
            IndexSnapshot s = open(local);
            LtxFileInfo update = s.files().getLast();
            LtxFileInfo snapshot = s.files().getFirst();
            RecordingStore store = new RecordingStore(local);
            ReplicaPages pages = new ReplicaPages(new PageCache(256L << 20), store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            awaitProgress(pages, 100);
            // The snapshot's chunks (the schema's reads are 64 KiB at most), and the update's reads
            // (page 1's at the open, hydration's): the update's come before any chunk.
            List<LtxFileInfo> order = new ArrayList<>();
            for (int i = 0; i < store.reads.size(); i++) {
                if (store.reads.get(i) > (1 << 20) || store.files.get(i).equals(update)) {
                    order.add(store.files.get(i));
                }
            }
            assertThat(order).hasSizeGreaterThan(3).startsWith(update).contains(snapshot);
            assertThat(order.lastIndexOf(update)).isLessThan(order.indexOf(snapshot));
        }
    }

    @Test
    void hydrationKeepsHalfTheCacheInFlightAndNoMore() throws Exception {
        var writer = randomReplica(dir.resolve("random.db")); // three 8 MiB GETs
        try (LocalDirStore local = new LocalDirStore(writer.dir())) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            store.hold(len -> len > PageCache.DEMAND_RUN_BYTES); // hydration's reads wait until released
            long budget = 2L * Hydration.GET_BYTES;
            PageCache cache = new PageCache(2 * budget);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (store.heldBytes.get() <= Hydration.GET_BYTES && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100); // room for a third read, if hydration would start one
            assertThat(store.heldBytes.get()).isGreaterThan(Hydration.GET_BYTES); // two in flight at once
            assertThat(store.heldBytes.get()).isLessThanOrEqualTo(budget); // and not a third
            store.release();
            awaitProgress(pages, 100);
            assertThat(store.maxHeldBytes.get()).isLessThanOrEqualTo(budget);
        }
    }

    @Test
    void databasesHydratingAtOnceShareOneBudget() throws Exception {
        // A catalog's tenants opening together must not each hold a budget's worth of GETs.
        var a = randomReplica(dir.resolve("a.db"), dir.resolve("replica-a"));
        var b = randomReplica(dir.resolve("b.db"), dir.resolve("replica-b"));
        try (LocalDirStore localA = new LocalDirStore(a.dir()); LocalDirStore localB = new LocalDirStore(b.dir())) {
            IndexSnapshot sa = open(localA);
            IndexSnapshot sb = open(localB);
            RecordingStore storeA = new RecordingStore(localA);
            RecordingStore storeB = new RecordingStore(localB);
            storeA.hold(len -> len > PageCache.DEMAND_RUN_BYTES);
            storeB.hold(len -> len > PageCache.DEMAND_RUN_BYTES);
            long budget = 2L * Hydration.GET_BYTES;
            PageCache cache = new PageCache(2 * budget);
            ReplicaPages pagesA = new ReplicaPages(cache, storeA, WAIT);
            ReplicaPages pagesB = new ReplicaPages(cache, storeB, WAIT);
            pagesA.hydrate(() -> sa, HydrateMode.ON);
            pagesB.hydrate(() -> sb, HydrateMode.ON);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (storeA.heldBytes.get() + storeB.heldBytes.get() <= Hydration.GET_BYTES && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(200); // room for more reads, if either hydration would start them
            long held = storeA.heldBytes.get() + storeB.heldBytes.get();
            assertThat(held).isGreaterThan(Hydration.GET_BYTES).isLessThanOrEqualTo(budget);
            storeA.release();
            storeB.release();
            awaitProgress(pagesA, 100);
            awaitProgress(pagesB, 100); // both finish once the GETs go through
        }
    }

    @Test
    void aQueryDuringHydrationDoesNotWaitForIt() throws Exception {
        int n = 3000;
        snapshot(dir, n);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            store.hold(len -> len > PageCache.DEMAND_RUN_BYTES); // hydration's large reads stay in flight
            PageCache cache = new PageCache(64L << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            while (store.heldBytes.get() == 0) {
                Thread.onSpinWait();
            }
            for (int p : new int[] {1, 2, 1000, 2999}) { // claimed by hydration or not yet reached: read now
                assertThat(pages.page(s, p, pages.newStream())).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
            }
            assertThat(pages.hydrationProgress()).isLessThan(100);
            store.release();
            awaitProgress(pages, 100);
        }
    }

    @Test
    void aQueryTakesItsPageFromHydrationsGetWhenThatComesFirst() throws Exception {
        snapshot(dir, 3000);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            RecordingStore store = new RecordingStore(local);
            store.hold(len -> len > PageCache.DEMAND_RUN_BYTES); // hydration's first GET (from page 1 on) waits
            ReplicaPages pages = new ReplicaPages(new PageCache(64L << 20), store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            while (store.heldBytes.get() == 0) {
                Thread.onSpinWait();
            }
            store.hold(len -> true); // and so does the query's own
            int reads = store.reads.size();
            var query = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return pages.page(s, 40, null); // past page 1 and the schema's run: in hydration's GET
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            while (store.reads.size() == reads) {
                Thread.onSpinWait(); // the query's own GET is sent (and held)
            }
            store.release(len -> len > PageCache.DEMAND_RUN_BYTES); // hydration's comes first
            assertThat(query.get(10, TimeUnit.SECONDS)).isEqualTo(ReplicaFixture.page(PAGE, 40, 1));
            assertThat(store.heldBytes.get()).isPositive(); // its own GET is still out
            store.release();
            awaitProgress(pages, 100);
        }
    }

    @Test
    void aSequentialReaderRidesHydrationsGetAndReadsItselfWhenThatFails() throws Exception {
        snapshot(dir, 3000);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            var gate = new java.util.concurrent.CompletableFuture<Void>();
            List<Integer> small = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicInteger large = new java.util.concurrent.atomic.AtomicInteger();
            var store = new dev.ltxvfs.store.ForwardingStore(local) {
                @Override
                public io.smallrye.mutiny.Uni<byte[]> read(LtxFileInfo f, long offset, int length) {
                    if (length > PageCache.DEMAND_RUN_BYTES) { // hydration's: held, then failed
                        large.incrementAndGet();
                        return io.smallrye.mutiny.Uni.createFrom().completionStage(gate).onItem().transformToUni(
                                v -> io.smallrye.mutiny.Uni.createFrom().<byte[]>failure(new java.io.IOException("injected")));
                    }
                    small.add(length);
                    return delegate.read(f, offset, length);
                }
            };
            ReplicaPages pages = new ReplicaPages(new PageCache(64L << 20), store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            while (large.get() == 0) {
                Thread.onSpinWait(); // hydration's GET is out
            }
            ReadStream stream = pages.newStream();
            for (int p = 40; p < 43; p++) { // not yet a run: each reads its page itself, beside hydration
                assertThat(pages.page(s, p, stream)).isEqualTo(ReplicaFixture.page(PAGE, p, 1));
            }
            int before = small.size();
            var fourth = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return pages.page(s, 43, stream); // a run now: it waits for hydration's bytes
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Thread.sleep(200);
            assertThat(fourth).isNotDone();
            assertThat(small).hasSize(before); // neither its own GET nor readahead of pages hydration has in flight
            gate.complete(null);
            assertThat(fourth.get(10, TimeUnit.SECONDS)).isEqualTo(ReplicaFixture.page(PAGE, 43, 1));
            assertThat(small.size()).isGreaterThan(before);
            pages.close();
        }
    }

    @Test
    void hydrationDecodesOnceItsDownloadsAreInAndQueriesTakeTheirPagesFromTheBytesMeanwhile() throws Exception {
        Path db = dir.resolve("random.db");
        var writer = randomReplica(db); // three 8 MiB GETs
        try (LocalDirStore local = new LocalDirStore(writer.dir())) {
            IndexSnapshot s = open(local);
            var firstIn = new java.util.concurrent.CompletableFuture<Void>();
            var rest = new java.util.concurrent.CompletableFuture<Void>();
            java.util.concurrent.atomic.AtomicInteger large = new java.util.concurrent.atomic.AtomicInteger();
            List<Integer> small = new java.util.concurrent.CopyOnWriteArrayList<>();
            var store = new dev.ltxvfs.store.ForwardingStore(local) {
                @Override
                public io.smallrye.mutiny.Uni<byte[]> read(LtxFileInfo f, long offset, int length) {
                    if (length <= PageCache.DEMAND_RUN_BYTES) {
                        small.add(length);
                        return delegate.read(f, offset, length);
                    }
                    if (large.getAndIncrement() == 0) { // hydration's first GET (pages from 1 on) comes in
                        return delegate.read(f, offset, length).onTermination().invoke(() -> firstIn.complete(null));
                    }
                    return io.smallrye.mutiny.Uni.createFrom().completionStage(rest) // the others are out
                            .onItem().transformToUni(v -> delegate.read(f, offset, length));
                }
            };
            PageCache cache = new PageCache(64L << 20);
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            firstIn.get(10, TimeUnit.SECONDS);
            Thread.sleep(200); // time enough to decode the first GET, were it decoded now
            assertThat(cache.stats().entries()).isLessThan(100); // page 1 and the schema's run at most
            int before = small.size();
            byte[] file = Files.readAllBytes(db);
            int size = s.pageSize();
            for (int p = 100; p < 110; p++) {
                byte[] plain = java.util.Arrays.copyOfRange(file, (p - 1) * size, p * size);
                assertThat(pages.page(s, p, null)).isEqualTo(plain);
            }
            assertThat(small).hasSize(before); // from the first GET's bytes, not GETs of their own
            rest.complete(null);
            awaitProgress(pages, 100);
            assertThat(cache.stats().entries()).isGreaterThan(s.commit() - 2);
        }
    }

    @Test
    void aFileGoneUnderHydrationStopsItCleanlyAndReadsStillWork() throws Exception {
        LtxFileInfo file = snapshot(dir, 3000);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            IndexSnapshot s = open(local);
            Path path = local.pathOf(file);
            byte[] bytes = Files.readAllBytes(path);
            Files.delete(path);
            PageCache cache = new PageCache(64L << 20);
            java.util.concurrent.atomic.AtomicInteger largeFailed = new java.util.concurrent.atomic.AtomicInteger();
            var store = new dev.ltxvfs.store.ForwardingStore(local) {
                @Override
                public io.smallrye.mutiny.Uni<byte[]> read(LtxFileInfo f, long offset, int length) {
                    return delegate.read(f, offset, length).onFailure().invoke(() -> {
                        if (length > PageCache.DEMAND_RUN_BYTES) {
                            largeFailed.incrementAndGet();
                        }
                    });
                }
            };
            ReplicaPages pages = new ReplicaPages(cache, store, WAIT);
            pages.hydrate(() -> s, HydrateMode.ON);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // Hydration's first GET: the file is gone.
            while (largeFailed.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Files.write(path, bytes);
            assertThat(pages.page(s, 7, null)).isEqualTo(ReplicaFixture.page(PAGE, 7, 1));
            assertThat(pages.hydrationProgress()).isLessThan(100);
            pages.close();
        }
    }

    /** A replica of {@code db}: one table of ~20 MiB that does not compress (random blobs), one commit. */
    private dev.ltxvfs.writer.ReplicaWriter randomReplica(Path db) throws Exception {
        return randomReplica(db, dir.resolve("replica"));
    }

    private static dev.ltxvfs.writer.ReplicaWriter randomReplica(Path db, Path replica) throws Exception {
        var writer = new dev.ltxvfs.writer.ReplicaWriter(replica);
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)");
            st.execute("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000) "
                    + "INSERT INTO t SELECT i, randomblob(1000) FROM g");
            writer.commit(db, java.time.Instant.EPOCH);
        }
        return writer;
    }

    static void awaitProgress(ReplicaPages pages, double percent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pages.hydrationProgress() < percent && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pages.hydrationProgress()).isEqualTo(percent);
    }
}
