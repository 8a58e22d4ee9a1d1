package dev.ltxvfs.index;

import static dev.ltxvfs.index.IndexBuilderTest.PAGE;
import static dev.ltxvfs.index.IndexBuilderTest.WAIT;
import static dev.ltxvfs.index.IndexBuilderTest.assertResolves;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.ltx.LtxPageIndex;
import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.LtxFileInfo;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexSnapshotTest {

    @TempDir
    Path dir;

    @Test
    void applyingLevelZeroFilesTracksEveryStateIncludingShrinks() throws Exception {
        ReplicaFixture fx = new ReplicaFixture(dir, PAGE);
        History h = new History(5, 90, 40);
        fx.write(h, 9, 1, 30);
        for (long t = 31; t <= 90; t++) {
            fx.write(h, 0, t, t);
        }
        boolean shrinks = false;
        for (long t = 31; t <= 90; t++) {
            shrinks |= h.commitAt(t) < h.commitAt(t - 1);
        }
        assertThat(shrinks).as("the history must shrink the database at least once").isTrue();

        try (LocalDirStore store = new LocalDirStore(dir)) {
            IndexSnapshot s = new IndexBuilder(store).open(RestoreTarget.txid(30)).await().atMost(WAIT);
            List<LtxFileInfo> l0 = store.list(0, 31).await().atMost(WAIT);
            FileIndexReader reader = new FileIndexReader(store);
            IndexSnapshot first = s;
            long t = 30;
            for (int i = 0; i < l0.size(); i += 3) { // batches of up to three files
                List<FileIndex> batch = l0.subList(i, Math.min(i + 3, l0.size())).stream()
                        .map(f -> reader.read(f, true).await().atMost(WAIT))
                        .toList();
                s = s.apply(batch);
                t = batch.getLast().file().maxTxid();
                assertResolves(s, store, h, t);
                assertLiveFilesAreExactlyThoseServingPages(s);
            }
            assertThat(t).isEqualTo(90);
            assertThat(s.timestamp()).isEqualTo(ReplicaFixture.timeOf(90));
            assertResolves(first, store, h, 30); // the pinned older state is untouched
        }
    }

    static void assertLiveFilesAreExactlyThoseServingPages(IndexSnapshot s) {
        Set<LtxFileInfo> serving = new HashSet<>();
        for (int p = 1; p <= s.commit(); p++) {
            FrameLocation loc = s.frame(p);
            if (loc != null) {
                serving.add(loc.file());
            }
        }
        assertThat(s.files()).containsExactlyInAnyOrderElementsOf(serving);
    }

    @Test
    void aShrinkingFileDropsOnlyPagesAboveItsCommit() throws Exception {
        LtxFileInfo a = new LtxFileInfo(0, 1, 1, 0, ReplicaFixture.timeOf(1));
        LtxFileInfo b = new LtxFileInfo(0, 2, 2, 0, ReplicaFixture.timeOf(2));
        IndexSnapshot s = IndexSnapshot.compose(new RestorePlan(RestoreTarget.LATEST, List.of(a)),
                List.of(new FileIndex(a, LtxHeader.of(PAGE, 10, 1, 1, 1000), pages(1, 10))));
        // An incremental vacuum: only page 2 changes, the database drops to 6 pages.
        IndexSnapshot shrunk = s.apply(List.of(new FileIndex(b, LtxHeader.of(PAGE, 6, 2, 2, 2000), pages(2, 2))));

        assertThat(shrunk.commit()).isEqualTo(6);
        assertThat(shrunk.sizeBytes()).isEqualTo(6L * PAGE);
        assertThat(shrunk.frame(2).file()).isEqualTo(b);
        for (int p : new int[] {1, 3, 4, 5, 6}) {
            assertThat(shrunk.frame(p).file()).as("page %d kept", p).isEqualTo(a);
        }
        assertThat(shrunk.frame(7)).isNull();
        assertThat(shrunk.pages().count()).isEqualTo(6);
        assertThat(s.frame(7).file()).isEqualTo(a);
        assertThat(shrunk.txid()).isEqualTo(2);
    }

    @Test
    void aFileWhosePagesAreAllSupersededIsForgotten() throws Exception {
        LtxFileInfo a = new LtxFileInfo(0, 1, 1, 0, ReplicaFixture.timeOf(1));
        LtxFileInfo b = new LtxFileInfo(0, 2, 2, 0, ReplicaFixture.timeOf(2));
        LtxFileInfo c = new LtxFileInfo(0, 3, 3, 0, ReplicaFixture.timeOf(3));
        IndexSnapshot s = IndexSnapshot.compose(new RestorePlan(RestoreTarget.LATEST, List.of(a)),
                List.of(new FileIndex(a, LtxHeader.of(PAGE, 4, 1, 1, 1000), pages(1, 4))));
        s = s.apply(List.of(new FileIndex(b, LtxHeader.of(PAGE, 4, 2, 2, 2000), pages(1, 2)),
                new FileIndex(c, LtxHeader.of(PAGE, 4, 3, 3, 3000), pages(1, 2))));

        assertThat(s.files()).containsExactly(a, c);
        assertThat(s.livePages(s.pages().fileId(3))).isEqualTo(2); // a still serves pages 3 and 4
    }

    @Test
    void applyRefusesGapsAndPageSizeChanges() throws Exception {
        LtxFileInfo a = new LtxFileInfo(0, 1, 1, 0, ReplicaFixture.timeOf(1));
        IndexSnapshot s = IndexSnapshot.compose(new RestorePlan(RestoreTarget.LATEST, List.of(a)),
                List.of(new FileIndex(a, LtxHeader.of(PAGE, 4, 1, 1, 1000), pages(1, 4))));
        LtxFileInfo gap = new LtxFileInfo(0, 3, 3, 0, ReplicaFixture.timeOf(3));
        assertThatThrownBy(() -> s.apply(List.of(new FileIndex(gap, LtxHeader.of(PAGE, 4, 3, 3, 3000), pages(1, 1)))))
                .isInstanceOf(TxidGapException.class)
                .hasMessageContaining("have up to 0000000000000001 but the next file starts at 0000000000000003");
        LtxFileInfo next = new LtxFileInfo(0, 2, 2, 0, ReplicaFixture.timeOf(2));
        assertThatThrownBy(() -> s.apply(List.of(new FileIndex(next, LtxHeader.of(4096, 4, 2, 2, 2000), pages(1, 1)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("page size 4096");
    }

    /** An index of pages {@code from..to}, 100-byte frames laid end to end. */
    static LtxPageIndex pages(int from, int to) {
        LtxPageIndex.Builder b = new LtxPageIndex.Builder();
        for (int p = from; p <= to; p++) {
            b.add(p, 100 + 100L * (p - from), 100);
        }
        return b.build();
    }

    @Test
    void lookupOfAbsentPagesIsNull() throws Exception {
        LtxFileInfo a = new LtxFileInfo(0, 1, 1, 0, ReplicaFixture.timeOf(1));
        IndexSnapshot s = IndexSnapshot.compose(new RestorePlan(RestoreTarget.LATEST, List.of(a)),
                List.of(new FileIndex(a, LtxHeader.of(PAGE, 4, 1, 1, 1000), pages(1, 4))));
        assertThat(s.frame(0)).isNull();
        assertThat(s.frame(5)).isNull();
        assertThat(s.frame(-3)).isNull();
        assertThat(s.frame(4)).isEqualTo(new FrameLocation(4, a, 400, 100));
        assertThat(s.txid()).isEqualTo(1);
        assertThat(s.commit()).isEqualTo(4);
    }
}
