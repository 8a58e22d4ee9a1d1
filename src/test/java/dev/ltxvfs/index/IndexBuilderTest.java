package dev.ltxvfs.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.ltx.LtxFormatException;
import dev.ltxvfs.ltx.LtxFrames;
import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBuilderTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final int PAGE = 512;

    @TempDir
    Path dir;

    /** The exception a Uni fails with (await() would wrap checked ones). */
    static Throwable failureOf(Uni<?> uni) {
        return uni.onItem().transform(item -> (Throwable) new AssertionError("expected a failure, got " + item))
                .onFailure().recoverWithItem(e -> e)
                .await().atMost(WAIT);
    }

    /**
     * Levels as Litestream leaves them: two snapshots, L2 files straddling the newer one, L1
     * compactions and the L0 files not yet deleted.
     */
    static History layout(ReplicaFixture fx) throws IOException {
        History h = new History(11, 60, 50);
        fx.write(h, 9, 1, 20);
        fx.write(h, 9, 1, 40);
        fx.write(h, 2, 1, 30);
        fx.write(h, 2, 31, 50);
        for (long[] r : new long[][] {{31, 35}, {36, 45}, {46, 52}, {53, 55}}) {
            fx.write(h, 1, r[0], r[1]);
        }
        for (long t = 41; t <= 60; t++) {
            fx.write(h, 0, t, t);
        }
        return h;
    }

    /** Every page of the state at {@code txid} resolves to a frame holding its current version. */
    static void assertResolves(IndexSnapshot s, ReplicaStore store, History h, long txid) throws IOException {
        assertThat(s.txid()).isEqualTo(txid);
        assertThat(s.commit()).isEqualTo(h.commitAt(txid));
        assertThat(s.pageSize()).isEqualTo(PAGE);
        Map<Integer, Long> state = h.stateAt(txid);
        byte[] page = new byte[PAGE];
        for (int p = 1; p <= s.commit() + 3; p++) {
            FrameLocation loc = s.frame(p);
            if (!state.containsKey(p)) {
                assertThat(loc).as("page %d", p).isNull();
                continue;
            }
            assertThat(loc).as("page %d", p).isNotNull();
            byte[] frame = store.read(loc.file(), loc.offset(), loc.size()).await().atMost(WAIT);
            LtxFrames.decodePage(frame, 0, frame.length, p, PAGE, page, 0, loc.toString());
            assertThat(page).as("page %d at TXID %d", p, txid).isEqualTo(ReplicaFixture.page(PAGE, p, state.get(p)));
        }
    }

    @Test
    void latestResolvesEveryPageToItsNewestFrame() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        History h = layout(fx);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = new IndexBuilder(store, 4).open(RestoreTarget.LATEST).await().atMost(WAIT);

            assertThat(s.plan().files()).extracting(LtxFileInfo::toString).containsExactly(
                    "L9/0000000000000001-0000000000000028.ltx", "L2/000000000000001f-0000000000000032.ltx",
                    "L1/000000000000002e-0000000000000034.ltx", "L1/0000000000000035-0000000000000037.ltx",
                    "L0/0000000000000038-0000000000000038.ltx", "L0/0000000000000039-0000000000000039.ltx",
                    "L0/000000000000003a-000000000000003a.ltx", "L0/000000000000003b-000000000000003b.ltx",
                    "L0/000000000000003c-000000000000003c.ltx");
            assertThat(s.timestamp()).isEqualTo(ReplicaFixture.timeOf(60));
            assertResolves(s, store, h, 60);
            assertThat(store.stats().lists.sum()).isEqualTo(1); // every level in one walk
        }
    }

    @Test
    void aTargetTxidOrTimeResolvesToThatState() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        History h = layout(fx);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexBuilder builder = new IndexBuilder(store);
            assertResolves(builder.open(RestoreTarget.txid(43)).await().atMost(WAIT), store, h, 43);
            assertResolves(builder.open(RestoreTarget.txid(35)).await().atMost(WAIT), store, h, 35);
            // Files written strictly before T0+50.5s: up to TXID 50.
            IndexSnapshot at = builder.open(RestoreTarget.time(ReplicaFixture.timeOf(50).plusMillis(500)))
                    .await().atMost(WAIT);
            assertResolves(at, store, h, 50);
        }
    }

    @Test
    void tailsAreFetchedInParallelUpToTheConcurrencyBound() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        History h = layout(fx);
        try (LocalDirStore local = new LocalDirStore(dir)) {
            RestorePlan plan = new RestorePlanner(local).plan(RestoreTarget.LATEST).await().atMost(WAIT);
            assertThat(plan.size()).isEqualTo(9);
            for (int concurrency : new int[] {4, 16}) {
                GatedStore gated = new GatedStore(local);
                var result = new IndexBuilder(gated, concurrency).build(plan).subscribeAsCompletionStage();
                // Nothing has completed yet, yet this many reads were asked for at once.
                assertThat(gated.reads.get()).isEqualTo(Math.min(concurrency, plan.size()));
                gated.open();
                assertResolves(result.get(), local, h, 60);
            }
        }
    }

    @Test
    void aBigIndexNeedsExactlyOneMoreReadAndHeadersAreReadOnlyWhereNeeded() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        Map<Integer, Long> pages = new HashMap<>();
        for (int p = 1; p <= 8000; p++) {
            pages.put(p, 1L);
        }
        LtxFileInfo big = fx.write(9, 1, 1, 8000, pages);
        LtxFileInfo small = fx.write(0, 2, 2, 8000, Map.of(1, 2L, 7999, 2L));

        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = new IndexBuilder(store).build(new RestorePlan(RestoreTarget.txid(1), List.of(big)))
                    .await().atMost(WAIT);
            // Tail (32 KiB), the rest of the index, and the header: the last file gives the commit.
            assertThat(store.stats().gets.sum()).isEqualTo(3);
            assertThat(s.pages().count()).isEqualTo(8000);
        }
        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = new IndexBuilder(store)
                    .build(new RestorePlan(RestoreTarget.LATEST, List.of(big, small))).await().atMost(WAIT);
            // Big file: tail + rest of index, no header. Small last file: its tail is the whole file.
            assertThat(store.stats().gets.sum()).isEqualTo(3);
            assertThat(s.frame(7999).file()).isEqualTo(small);
            assertThat(s.frame(7998).file()).isEqualTo(big);
            assertThat(s.commit()).isEqualTo(8000);
        }
    }

    @Test
    void aLargeSnapshotOfIncompressiblePagesGivesItsWholeIndexInOneTailRead() throws Exception {
        Path db = dir.resolve("random.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
            st.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)");
            st.execute("WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000) "
                    + "INSERT INTO t SELECT i, randomblob(1000) FROM g");
        }
        var writer = new dev.ltxvfs.writer.ReplicaWriter(dir.resolve("replica"));
        writer.commit(db, java.time.Instant.EPOCH);
        try (LocalDirStore store = new LocalDirStore(writer.dir())) {
            LtxFileInfo snapshot = store.list(0, 0).await().atMost(WAIT).getFirst();
            assertThat(FileIndexReader.tailBytes(snapshot)).isGreaterThan(dev.ltxvfs.ltx.LtxTail.DEFAULT_READ);
            IndexSnapshot s = new IndexBuilder(store).open(RestoreTarget.LATEST).await().atMost(WAIT);
            assertThat(s.commit()).isGreaterThan(5000); // an index of ~45 KiB: more than a 32 KiB tail holds
            // The tail and, alongside, the header: not a second round trip for the rest of the index.
            assertThat(store.stats().gets.sum()).isEqualTo(2);
        }
    }

    @Test
    void aCorruptTailFailsNamingTheFile() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        LtxFileInfo f = fx.write(0, 1, 5, 3, Map.of(1, 5L, 2, 5L, 3, 5L));
        try (RandomAccessFile raf = new RandomAccessFile(fx.dir().resolve("ltx/0/" + f.fileName()).toFile(), "rw")) {
            raf.seek(f.size() - 24); // the index length, now absurd
            raf.writeLong(0x7fff_ffffL);
        }
        try (LocalDirStore store = new LocalDirStore(dir)) {
            assertThat(failureOf(new IndexBuilder(store).open(RestoreTarget.LATEST)))
                    .isInstanceOf(LtxFormatException.class)
                    .hasMessageContaining("L0/0000000000000001-0000000000000005.ltx")
                    .hasMessageContaining("page index length");
        }
    }

    @Test
    void aHeaderThatContradictsTheFileNameIsRejected() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        LtxFileInfo f = fx.write(0, 1, 5, 3, Map.of(1, 5L, 2, 5L, 3, 5L));
        LtxFileInfo renamed = new LtxFileInfo(0, 1, 6, f.size(), f.createdAt());
        java.nio.file.Files.move(fx.dir().resolve("ltx/0/" + f.fileName()), fx.dir().resolve("ltx/0/" + renamed.fileName()));
        try (LocalDirStore store = new LocalDirStore(dir)) {
            assertThat(failureOf(new IndexBuilder(store).open(RestoreTarget.LATEST)))
                    .isInstanceOf(LtxFormatException.class)
                    .hasMessageContaining("header says TXIDs 0000000000000001-0000000000000005");
        }
    }

    @Test
    void anEmptyReplicaFailsWithNoLtxFiles() {
        try (LocalDirStore store = new LocalDirStore(dir)) {
            assertThat(failureOf(new IndexBuilder(store).open(RestoreTarget.LATEST)))
                    .isInstanceOf(NoLtxFilesException.class)
                    .hasMessageContaining(store.location());
        }
    }
}
