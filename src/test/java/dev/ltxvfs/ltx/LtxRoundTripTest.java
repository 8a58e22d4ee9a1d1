package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LtxRoundTripTest {

    static Stream<Arguments> pageSizesAndCommits() {
        List<Arguments> a = new ArrayList<>();
        for (int pageSize = 512; pageSize <= 65536; pageSize *= 2) {
            for (int commit : new int[] {0, 1, 2, 37}) {
                a.add(Arguments.of(pageSize, commit));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "page size {0}, commit {1}")
    @MethodSource("pageSizesAndCommits")
    void snapshotDecodesToThePagesWritten(int pageSize, int commit) throws Exception {
        byte[] file = LtxTestFiles.snapshot(pageSize, commit, 9, 42);
        List<Integer> pgnos = new ArrayList<>();
        LtxDecoder.decode(new ByteArrayInputStream(file), "rt", (pgno, page) -> {
            assertThat(page).isEqualTo(LtxTestFiles.page(pageSize, pgno, 42));
            pgnos.add(pgno);
        });
        assertThat(pgnos).containsExactlyElementsOf(Arrays.stream(LtxTestFiles.snapshotPgnos(pageSize, commit)).boxed().toList());
        assertRandomAccessMatches(file, pageSize, 42);
    }

    @ParameterizedTest(name = "page size {0}, commit {1}")
    @MethodSource("pageSizesAndCommits")
    void sparseIncrementDecodesToThePagesWritten(int pageSize, int commit) throws Exception {
        int[] pgnos = java.util.stream.IntStream.rangeClosed(1, commit).filter(p -> p % 3 != 2).toArray();
        LtxHeader h = LtxHeader.of(pageSize, commit, 10, 12, 1_700_000_000_000L);
        byte[] file = LtxTestFiles.encode(h, pgnos, 7);
        LtxDecoder dec = new LtxDecoder(new ByteArrayInputStream(file), "rt");
        assertThat(dec.header()).isEqualTo(h);
        byte[] page = new byte[pageSize];
        for (int pgno : pgnos) {
            assertThat(dec.readPage(page)).isEqualTo(pgno);
            assertThat(page).isEqualTo(LtxTestFiles.page(pageSize, pgno, 7));
        }
        assertThat(dec.readPage(page)).isZero();
        assertThat(dec.finished()).isTrue();
        assertThat(dec.bytesRead()).isEqualTo(file.length);
        assertRandomAccessMatches(file, pageSize, 7);
    }

    /** Reads the file the way a remote reader does: a 32 KiB tail, then one frame at a time. */
    static void assertRandomAccessMatches(byte[] file, int pageSize, long seed) throws Exception {
        int tailLen = Math.min(LtxTail.DEFAULT_READ, file.length);
        byte[] tail = Arrays.copyOfRange(file, file.length - tailLen, file.length);
        long start = LtxTail.indexStart(tail, file.length, "rt");
        long tailOffset = file.length - tailLen;
        if (start < tailOffset) { // the index is longer than the first read: fetch from its start
            tailOffset = start;
            tail = Arrays.copyOfRange(file, (int) start, file.length);
        }
        LtxPageIndex index = LtxTail.decodeIndex(tail, tailOffset, file.length, "rt");
        byte[] page = new byte[pageSize + 3];
        for (int i = 0; i < index.size(); i++) {
            int pgno = index.pgno(i);
            byte[] frame = Arrays.copyOfRange(file, (int) index.offset(i), (int) index.offset(i) + index.frameSize(i));
            LtxFrames.decodePage(frame, 0, frame.length, pgno, pageSize, page, 3, "rt");
            assertThat(Arrays.copyOfRange(page, 3, 3 + pageSize)).isEqualTo(LtxTestFiles.page(pageSize, pgno, seed));
            assertThat(index.find(pgno)).isEqualTo(i);
        }
    }

    @Test
    void indexLargerThanTheDefaultTailNeedsASecondRead() throws Exception {
        byte[] file = LtxTestFiles.snapshot(512, 5000, 1, 1);
        byte[] tail = Arrays.copyOfRange(file, file.length - LtxTail.DEFAULT_READ, file.length);
        assertThat(LtxTail.indexStart(tail, file.length, "big")).isLessThan(file.length - LtxTail.DEFAULT_READ);
        assertRandomAccessMatches(file, 512, 1);
    }

    @Test
    void encoderIndexEqualsTailIndexAndFileSize() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxEncoder enc = new LtxEncoder(out, LtxHeader.of(4096, 3, 1, 1, 0));
        for (int p = 1; p <= 3; p++) {
            enc.writePage(p, LtxTestFiles.page(4096, p, 0), 0);
        }
        LtxTrailer t = enc.finish();
        byte[] file = out.toByteArray();
        assertThat(enc.bytesWritten()).isEqualTo(file.length);
        assertThat(enc.index()).isEqualTo(LtxTail.decodeIndex(file, "enc"));
        assertThat(Bytes.i64(file, file.length - 8)).isEqualTo(t.fileChecksum());
        assertThat(t.fileChecksum() & Crc64Iso.CHECKSUM_FLAG).isNotZero();
    }

    @Test
    void framesAreV3WithLz4BlocksAndCompressRealisticPages() throws Exception {
        byte[] file = LtxTestFiles.snapshot(4096, 10, 1, 3);
        LtxPageIndex index = LtxTail.decodeIndex(file, "f");
        for (int i = 0; i < index.size(); i++) {
            int off = (int) index.offset(i);
            assertThat(Bytes.u16(file, off + 4)).isEqualTo(LtxFrames.FLAG_SIZE);
            assertThat(Bytes.i32(file, off + 6)).isEqualTo(index.frameSize(i) - 10);
        }
        assertThat(file.length).isLessThan(10 * 4096 * 2 / 3);
    }

    @Test
    void lockPageIsRejectedByTheEncoderAndSkippedInSnapshots() throws Exception {
        int lock = LtxHeader.lockPage(65536);
        LtxEncoder enc = new LtxEncoder(new ByteArrayOutputStream(), LtxHeader.of(65536, lock + 2, 5, 5, 0));
        byte[] page = new byte[65536];
        enc.writePage(lock - 1, page, 0);
        assertThatThrownBy(() -> enc.writePage(lock, page, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lock page");
        enc.writePage(lock + 1, page, 0);

        // A snapshot goes from lock-1 straight to lock+1 (16386 pages of 64 KiB zeros compress well).
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxEncoder snap = new LtxEncoder(out, LtxHeader.of(65536, lock + 1, 1, 1, 0));
        for (int p = 1; p <= lock + 1; p++) {
            if (p != lock) {
                snap.writePage(p, page, 0);
            }
        }
        snap.finish();
        LtxDecoder dec = new LtxDecoder(new ByteArrayInputStream(out.toByteArray()), "snap");
        while (dec.readPage(page) != 0) {
            // the decoder checks that the snapshot skips exactly the lock page
        }
        LtxPageIndex index = dec.index();
        assertThat(index.find(lock)).isEqualTo(-1);
        assertThat(index.find(lock + 1)).isEqualTo(index.size() - 1);
        assertThat(index.size()).isEqualTo(lock);
    }

    @Test
    void encoderRejectsPagesOutOfOrderPastCommitOrWithGapsInSnapshots() throws Exception {
        byte[] page = new byte[4096];
        LtxEncoder inc = new LtxEncoder(new ByteArrayOutputStream(), LtxHeader.of(4096, 10, 3, 3, 0));
        inc.writePage(5, page, 0);
        assertThatThrownBy(() -> inc.writePage(5, page, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inc.writePage(4, page, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inc.writePage(11, page, 0)).hasMessageContaining("commit");
        assertThatThrownBy(() -> inc.writePage(0, page, 0)).isInstanceOf(IllegalArgumentException.class);

        LtxEncoder snap = new LtxEncoder(new ByteArrayOutputStream(), LtxHeader.of(4096, 10, 1, 3, 0));
        assertThatThrownBy(() -> snap.writePage(2, page, 0)).hasMessageContaining("contiguous");
        snap.writePage(1, page, 0);
        assertThatThrownBy(snap::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("commit");
    }

    @Test
    void encoderRejectsHeadersItCannotWrite() {
        assertThatThrownBy(() -> new LtxEncoder(new ByteArrayOutputStream(), LtxHeader.of(1000, 1, 1, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page size");
        LtxHeader checksummed = new LtxHeader(0, 4096, 1, 2, 2, 0, Crc64Iso.CHECKSUM_FLAG | 1, 0, 0, 0, 0, 0);
        assertThatThrownBy(() -> new LtxEncoder(new ByteArrayOutputStream(), checksummed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NoChecksum");
    }
}
