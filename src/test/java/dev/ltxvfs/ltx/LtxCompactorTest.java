package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LtxCompactorTest {

    private static final int PAGE = 1024;

    /** An increment whose page contents are tagged by its TXID, so the winner is visible. */
    private static byte[] inc(long min, long max, int commit, long timestamp, int... pgnos) {
        return LtxTestFiles.encode(LtxHeader.of(PAGE, commit, min, max, timestamp), pgnos, max);
    }

    private static Map<Integer, byte[]> pagesOf(byte[] file) throws IOException {
        Map<Integer, byte[]> m = new TreeMap<>();
        LtxDecoder.decode(new ByteArrayInputStream(file), "out", (pgno, p) -> m.put(pgno, p.clone()));
        return m;
    }

    private static byte[] compact(byte[]... files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<LtxCompactor.Input> in = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            in.add(new LtxCompactor.Input(new ByteArrayInputStream(files[i]), "in" + i));
        }
        LtxCompactor.compact(in, out);
        return out.toByteArray();
    }

    @Test
    void newestInputWinsEachPage() throws Exception {
        byte[] out = compact(inc(5, 5, 10, 100, 1, 2, 3), inc(6, 7, 10, 200, 2, 9), inc(8, 8, 10, 300, 3, 9));
        Map<Integer, byte[]> pages = pagesOf(out);
        assertThat(pages).containsOnlyKeys(1, 2, 3, 9);
        assertThat(pages.get(1)).isEqualTo(LtxTestFiles.page(PAGE, 1, 5));
        assertThat(pages.get(2)).isEqualTo(LtxTestFiles.page(PAGE, 2, 7));
        assertThat(pages.get(3)).isEqualTo(LtxTestFiles.page(PAGE, 3, 8));
        assertThat(pages.get(9)).isEqualTo(LtxTestFiles.page(PAGE, 9, 8));
    }

    @Test
    void headerSpansTheRunWithTheLastCommitAndTimestamp() throws Exception {
        byte[] out = compact(inc(5, 5, 10, 100, 1), inc(6, 7, 12, 200, 11, 12));
        LtxHeader h = LtxDecoder.verify(new ByteArrayInputStream(out), "out");
        assertThat(h).isEqualTo(LtxHeader.of(PAGE, 12, 5, 7, 200));
    }

    @Test
    void pagesPastTheLastCommitAreDropped() throws Exception {
        byte[] out = compact(inc(5, 5, 10, 1, 1, 8, 10), inc(6, 6, 7, 2, 2, 7));
        assertThat(pagesOf(out)).containsOnlyKeys(1, 2, 7);
        assertThat(LtxDecoder.verify(new ByteArrayInputStream(out), "out").commit()).isEqualTo(7);
    }

    @Test
    void snapshotPlusIncrementsStaysAContiguousSnapshot() throws Exception {
        byte[] snap = LtxTestFiles.snapshot(PAGE, 4, 3, 3);
        byte[] out = compact(snap, inc(4, 4, 6, 9, 2, 5, 6));
        Map<Integer, byte[]> pages = pagesOf(out);
        assertThat(pages).containsOnlyKeys(1, 2, 3, 4, 5, 6);
        assertThat(pages.get(2)).isEqualTo(LtxTestFiles.page(PAGE, 2, 4));
        assertThat(pages.get(3)).isEqualTo(LtxTestFiles.page(PAGE, 3, 3));
        LtxRoundTripTest.assertRandomAccessMatches(compact(snap), PAGE, 3);
    }

    @Test
    void snapshotWithAGapAfterGrowthIsRejected() {
        byte[] snap = LtxTestFiles.snapshot(PAGE, 4, 3, 3);
        assertThatThrownBy(() -> compact(snap, inc(4, 4, 6, 9, 6)))
                .isInstanceOf(LtxFormatException.class).hasMessageContaining("lack page 5");
    }

    @Test
    void overlappingRangesAreContiguous() throws Exception {
        assertThat(LtxCompactor.isContiguous(7, 5, 9)).isTrue();
        assertThat(LtxCompactor.isContiguous(7, 8, 8)).isTrue();
        assertThat(LtxCompactor.isContiguous(7, 9, 9)).isFalse();
        assertThat(LtxCompactor.isContiguous(7, 5, 7)).isFalse();
        assertThat(compact(inc(5, 7, 10, 1, 1), inc(6, 8, 10, 2, 2))).isNotEmpty();
    }

    @Test
    void nonContiguousInputsAreRejected() {
        assertThatThrownBy(() -> compact(inc(5, 5, 10, 1, 1), inc(7, 7, 10, 2, 2)))
                .isInstanceOf(LtxFormatException.class)
                .hasMessageStartingWith("in1: ").hasMessageContaining("do not follow").hasMessageContaining("in0");
        assertThatThrownBy(() -> compact(inc(5, 6, 10, 1, 1), inc(6, 6, 10, 2, 2)))
                .isInstanceOf(LtxFormatException.class);
    }

    @Test
    void mismatchedPageSizesAreRejected() {
        byte[] other = LtxTestFiles.encode(LtxHeader.of(4096, 10, 6, 6, 0), new int[] {1}, 0);
        assertThatThrownBy(() -> compact(inc(5, 5, 10, 1, 1), other))
                .isInstanceOf(LtxFormatException.class).hasMessageContaining("page size");
    }

    @Test
    void corruptInputFailsTheCompaction() {
        byte[] bad = inc(6, 6, 10, 2, 2);
        bad[bad.length - 3] ^= 1;
        assertThatThrownBy(() -> compact(inc(5, 5, 10, 1, 1), bad))
                .isInstanceOf(LtxChecksumException.class).hasMessageStartingWith("in1: ");
    }

    @Test
    void singleInputIsRewrittenUnchanged() throws Exception {
        byte[] in = inc(5, 5, 10, 1, 1, 4, 10);
        assertThat(compact(in)).isEqualTo(in);
    }
}
