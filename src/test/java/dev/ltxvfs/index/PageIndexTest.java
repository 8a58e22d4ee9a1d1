package dev.ltxvfs.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageIndexTest {

    record Frame(int fileId, long offset, int size) {
    }

    /** Checks every page from 0 to limit against the model, both ways. */
    static void assertMatches(PageIndex idx, Map<Integer, Frame> model, int commit, int limit) {
        assertThat(idx.commit()).isEqualTo(commit);
        assertThat(idx.count()).isEqualTo(model.size());
        for (int pgno = -1; pgno <= limit; pgno++) {
            Frame want = model.get(pgno);
            if (want == null) {
                assertThat(idx.contains(pgno)).as("page %d absent", pgno).isFalse();
                assertThat(idx.fileId(pgno)).isEqualTo(-1);
                assertThat(idx.offset(pgno)).isEqualTo(-1);
                assertThat(idx.frameSize(pgno)).isZero();
            } else {
                assertThat(new Frame(idx.fileId(pgno), idx.offset(pgno), idx.frameSize(pgno)))
                        .as("page %d", pgno).isEqualTo(want);
            }
        }
    }

    @Test
    void randomEditsMatchAHashMapAndOldVersionsNeverChange() {
        Random rnd = new Random(7);
        PageIndex idx = PageIndex.empty(4096);
        Map<Integer, Frame> model = new HashMap<>();
        int commit = 0;
        List<PageIndex> versions = new ArrayList<>();
        List<Map<Integer, Frame>> models = new ArrayList<>();
        List<Integer> commits = new ArrayList<>();
        for (int round = 0; round < 60; round++) {
            PageIndex.Editor e = idx.edit();
            int newCommit = switch (rnd.nextInt(4)) {
                case 0 -> Math.max(0, commit - rnd.nextInt(3000)); // shrink
                case 1 -> commit; // same size
                default -> commit + rnd.nextInt(3000); // grow
            };
            final int nc = newCommit;
            int[] dropped = {0};
            e.truncate(newCommit, id -> dropped[0]++);
            int before = model.size();
            model.keySet().removeIf(p -> p > nc);
            assertThat(dropped[0]).isEqualTo(before - model.size());
            commit = newCommit;
            int puts = commit == 0 ? 0 : rnd.nextInt(2000);
            for (int i = 0; i < puts; i++) {
                int pgno = 1 + rnd.nextInt(commit);
                Frame fr = new Frame(rnd.nextInt(50), 100 + rnd.nextInt(1 << 30) * 3L, 11 + rnd.nextInt(5000));
                Frame old = model.put(pgno, fr);
                assertThat(e.put(pgno, fr.fileId, fr.offset, fr.size)).isEqualTo(old == null ? -1 : old.fileId);
            }
            idx = e.build();
            versions.add(idx);
            models.add(Map.copyOf(model));
            commits.add(commit);
            assertMatches(idx, model, commit, commit + 2100);
        }
        for (int v = 0; v < versions.size(); v++) {
            assertMatches(versions.get(v), models.get(v), commits.get(v), commits.get(v) + 10);
        }
    }

    @Test
    void anEditCopiesOnlyTheChunksItTouches() {
        int pages = 262_144; // 1 GiB of 4 KiB pages
        PageIndex.Editor e = PageIndex.empty(4096).edit();
        e.truncate(pages, id -> { });
        for (int p = 1; p <= pages; p++) {
            e.put(p, 0, 100L + 4000L * p, 4000);
        }
        PageIndex big = e.build();

        PageIndex.Editor small = big.edit();
        small.put(5, 1, 10, 20);
        small.put(6, 1, 30, 20);
        small.put(200_000, 1, 50, 20);
        PageIndex next = small.build();

        assertThat(big.chunkCount()).isEqualTo(pages / PageIndex.CHUNK + 1);
        assertThat(next.chunksSharedWith(big)).isEqualTo(big.chunkCount() - 2);
        assertThat(next.fileId(5)).isEqualTo(1);
        assertThat(big.fileId(5)).isZero();
    }

    @Test
    void aGibibyteDatabaseNeedsAboutSixteenBytesAPage() {
        int pages = 262_144;
        PageIndex.Editor e = PageIndex.empty(4096).edit();
        e.truncate(pages, id -> { });
        for (int p = 1; p <= pages; p++) {
            e.put(p, p % 7, 100L + 4000L * p, 4000);
        }
        PageIndex idx = e.build();
        // Arithmetic on array sizes, not a heap measurement: 257 chunks of long[2048] plus the top array.
        assertThat(idx.estimatedBytes()).isBetween(16L * pages, 17L * pages);
        assertThat(idx.estimatedBytes()).isLessThan(5L << 20);
    }

    @Test
    void truncateDropsOnlyPagesAboveTheNewCommit() {
        PageIndex.Editor e = PageIndex.empty(512).edit();
        e.truncate(3000, id -> { });
        for (int p = 1; p <= 3000; p++) {
            e.put(p, p <= 1500 ? 0 : 1, p * 100L, 50);
        }
        PageIndex idx = e.build();
        PageIndex shrunk = withCommit(idx, 1025);

        assertThat(shrunk.count()).isEqualTo(1025);
        assertThat(shrunk.contains(1025)).isTrue();
        assertThat(shrunk.contains(1026)).isFalse();
        assertThat(idx.contains(1026)).isTrue(); // the old version is untouched
        // Growing again does not resurrect dropped pages.
        assertThat(withCommit(shrunk, 3000).contains(2000)).isFalse();
        assertThat(withCommit(shrunk, 3000).count()).isEqualTo(1025);
    }

    /** {@code idx} resized to {@code commit} pages, as a new version. */
    private static PageIndex withCommit(PageIndex idx, int commit) {
        PageIndex.Editor e = idx.edit();
        e.truncate(commit, id -> { });
        return e.build();
    }

    @Test
    void pagesAboveTheCommitMustBeSettledBeforeBuild() {
        PageIndex.Editor e = PageIndex.empty(512).edit();
        e.put(10, 0, 100, 20);
        assertThatThrownBy(e::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("page 10 lies above commit 0");

        PageIndex.Editor ok = PageIndex.empty(512).edit();
        ok.put(10, 0, 100, 20);
        ok.truncate(10, id -> { });
        assertThat(ok.build().offset(10)).isEqualTo(100);
    }

    @Test
    void rejectsImpossiblePageSizesAndFrames() {
        assertThatThrownBy(() -> PageIndex.empty(1000)).isInstanceOf(IllegalArgumentException.class);
        PageIndex.Editor e = PageIndex.empty(512).edit();
        assertThatThrownBy(() -> e.put(0, 0, 100, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.put(1, 0, 100, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
