package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LtxTailTest {

    private static long indexStartOf(byte[] f) {
        return f.length - 24 - Bytes.i64(f, f.length - 24);
    }

    /** A file with pages 1, 2, 3 whose index is replaced by {@code varints} (terminator included). */
    private static byte[] withIndex(String varints) {
        byte[] good = LtxTestFiles.encode(LtxHeader.of(4096, 3, 2, 2, 0), new int[] {1, 2, 3}, 0);
        long start = indexStartOf(good);
        byte[] idx = LtxTestFiles.hex(varints);
        byte[] f = Arrays.copyOf(good, (int) start + idx.length + 24);
        System.arraycopy(idx, 0, f, (int) start, idx.length);
        Bytes.put64(f, (int) start + idx.length, idx.length);
        LtxTestFiles.fixChecksum(f);
        return f;
    }

    private static String entry(long pgno, long offset, long size) {
        byte[] b = new byte[30];
        int n = Uvarint.write(pgno, b, 0);
        n += Uvarint.write(offset, b, n);
        n += Uvarint.write(size, b, n);
        return LtxTestFiles.hex(b, 0, n);
    }

    private static void assertRejected(byte[] file, String message) {
        assertThatThrownBy(() -> LtxTail.decodeIndex(file, "db/ltx/1/x.ltx"))
                .isInstanceOf(LtxFormatException.class)
                .hasMessageStartingWith("db/ltx/1/x.ltx: ")
                .hasMessageContaining(message);
    }

    @Test
    void indexStartComesFromTheLengthBeforeTheTrailer() throws Exception {
        byte[] tail = new byte[24];
        Bytes.put64(tail, 0, 10);
        assertThat(LtxTail.indexStart(tail, 1190, "t")).isEqualTo(1190 - 24 - 10);
    }

    @Test
    void tooShortTailIsAFormatError() {
        assertThatThrownBy(() -> LtxTail.indexStart(new byte[23], 1000, "short"))
                .isInstanceOf(LtxFormatException.class).hasMessageContaining("short").hasMessageContaining("too short");
    }

    @Test
    void impossibleIndexLengthsAreFormatErrors() {
        byte[] tail = new byte[24];
        for (long n : new long[] {0, -1, 1000, Long.MAX_VALUE}) {
            Bytes.put64(tail, 0, n);
            assertThatThrownBy(() -> LtxTail.indexStart(tail, 1000, "len")).isInstanceOf(LtxFormatException.class)
                    .hasMessageContaining("len: page index length");
        }
    }

    @Test
    void wellFormedIndexDecodes() throws Exception {
        byte[] f = withIndex(entry(1, 100, 50) + entry(3, 150, 60) + "00");
        LtxPageIndex idx = LtxTail.decodeIndex(f, "x");
        assertThat(idx.size()).isEqualTo(2);
        assertThat(idx.find(3)).isEqualTo(1);
        assertThat(idx.offset(1)).isEqualTo(150);
        assertThat(idx.frameSize(1)).isEqualTo(60);
        assertThat(idx.maxPgno()).isEqualTo(3);
    }

    @Test
    void emptyIndexIsValid() throws Exception {
        byte[] f = LtxTestFiles.encode(LtxHeader.of(4096, 0, 2, 2, 0), new int[0], 0);
        assertThat(LtxTail.decodeIndex(f, "x").size()).isZero();
    }

    @Test
    void rejectsDescendingOrRepeatedPgno() {
        assertRejected(withIndex(entry(2, 100, 50) + entry(1, 150, 60) + "00"), "not ascending");
        assertRejected(withIndex(entry(2, 100, 50) + entry(2, 150, 60) + "00"), "not ascending");
    }

    @Test
    void rejectsFramesOutsideThePageBlock() {
        assertRejected(withIndex(entry(1, 99, 50) + "00"), "outside the page block");
        assertRejected(withIndex(entry(1, 100, 50) + entry(2, 120, 50) + "00"), "overlaps");
        assertRejected(withIndex(entry(1, 100_000, 50) + "00"), "outside the page block");
        assertRejected(withIndex(entry(1, -1, 50) + "00"), "outside the page block");
    }

    @Test
    void rejectsFrameSizesNoPageCanHave() {
        assertRejected(withIndex(entry(1, 100, 5) + "00"), "frame size");
        assertRejected(withIndex(entry(1, 100, 1 << 20) + "00"), "frame size");
    }

    @Test
    void rejectsOverlongVarint() {
        assertRejected(withIndex("01" + "ffffffffffffffffff7f" + "32" + "00"), "overflow");
    }

    @Test
    void rejectsIndexWithoutTerminator() {
        assertRejected(withIndex(entry(1, 100, 50)), "truncated varint");
    }

    @Test
    void rejectsBytesAfterTheTerminator() {
        assertRejected(withIndex(entry(1, 100, 50) + "00" + "00"), "before its declared length");
    }

    @Test
    void rejectsMissingEndMarker() {
        byte[] f = withIndex(entry(1, 100, 50) + "00");
        long start = indexStartOf(f);
        f[(int) start - 1] = 1;
        assertRejected(f, "end-of-pages marker");
    }

    @Test
    void tailThatStopsShortOfTheIndexIsACallerError() throws Exception {
        byte[] f = LtxTestFiles.snapshot(4096, 3, 1, 0);
        byte[] tail = Arrays.copyOfRange(f, f.length - 24, f.length);
        assertThatThrownBy(() -> LtxTail.decodeIndex(tail, f.length - 24, f.length, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("indexStart");
    }
}
