package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits;
import org.junit.jupiter.api.Test;

class LtxDecoderTest {

    private static final String SRC = "replica/ltx/0/0000000000000005-0000000000000005.ltx";

    private static LtxHeader verify(byte[] file) throws IOException {
        return LtxDecoder.verify(new ByteArrayInputStream(file), SRC);
    }

    private static void assertRejected(byte[] file, String message) {
        assertThatThrownBy(() -> verify(file)).isInstanceOf(LtxFormatException.class)
                .hasMessageStartingWith(SRC + ": ").hasMessageContaining(message);
    }

    private static byte[] page(int pgno) {
        return LtxTestFiles.page(4096, pgno, 0);
    }

    @Test
    void everyTruncationIsAFormatErrorNamingTheSource() {
        byte[] file = LtxTestFiles.encode(LtxHeader.of(4096, 4, 5, 5, 0), new int[] {1, 3, 4}, 0);
        for (int len = 0; len < file.length; len++) {
            byte[] cut = Arrays.copyOf(file, len);
            assertThatThrownBy(() -> verify(cut)).as("length %d", len)
                    .isInstanceOf(LtxFormatException.class).hasMessageStartingWith(SRC + ": ");
        }
    }

    @Test
    void truncationInsideAFrameSaysWhere() {
        byte[] file = LtxTestFiles.encode(LtxHeader.of(4096, 4, 5, 5, 0), new int[] {1}, 0);
        assertRejected(Arrays.copyOf(file, 100 + 20), "truncated: ends at byte 120 while reading compressed page 1");
        assertRejected(Arrays.copyOf(file, 50), "while reading header");
    }

    @Test
    void headerErrorsSurfaceFromTheStream() {
        byte[] file = LtxTestFiles.snapshot(4096, 2, 1, 0);
        byte[] magic = file.clone();
        magic[3] = '2';
        assertRejected(magic, "magic");
        byte[] flags = file.clone();
        flags[7] = 1;
        assertRejected(flags, "flags");
        byte[] size = file.clone();
        Bytes.put32(size, 8, 4000);
        assertRejected(size, "page size 4000");
    }

    @Test
    void checksumMismatchIsTyped() {
        byte[] file = LtxTestFiles.snapshot(4096, 2, 1, 0);
        file[file.length - 1] ^= 1;
        assertThatThrownBy(() -> verify(file)).isInstanceOf(LtxChecksumException.class)
                .hasMessageStartingWith(SRC + ": ").hasMessageContaining("checksum mismatch");
    }

    @Test
    void changedPageContentIsACheckumMismatch() throws Exception {
        // A stored LZ4 literal changes the page but leaves the frame well formed: only the CRC sees it.
        byte[] file = SpecVectorTest.vector();
        file[100 + 10 + 3 + 17] ^= 0x55;
        assertThatThrownBy(() -> verify(file)).isInstanceOf(LtxChecksumException.class);
    }

    @Test
    void pageBeyondCommitIsRejected() {
        byte[] file = new LtxTestFiles.Raw(LtxHeader.of(4096, 3, 5, 5, 0)).v3(2, page(2)).v3(4, page(4)).finish();
        assertRejected(file, "page 4 is past commit 3");
    }

    @Test
    void lockPageIsRejected() {
        int lock = LtxHeader.lockPage(65536);
        byte[] file = new LtxTestFiles.Raw(LtxHeader.of(65536, lock + 1, 5, 5, 0)).v3(lock, new byte[65536]).finish();
        assertRejected(file, "lock page " + lock);
    }

    @Test
    void pagesMustAscend() {
        byte[] file = new LtxTestFiles.Raw(LtxHeader.of(4096, 9, 5, 5, 0)).v3(3, page(3)).v3(3, page(3)).finish();
        assertRejected(file, "not ascending");
    }

    @Test
    void snapshotWithAGapOrMissingTailIsRejected() {
        assertRejected(new LtxTestFiles.Raw(LtxHeader.of(4096, 3, 1, 1, 0)).v3(1, page(1)).v3(3, page(3)).finish(),
                "snapshot skips from page 1 to 3");
        assertRejected(new LtxTestFiles.Raw(LtxHeader.of(4096, 3, 1, 1, 0)).v3(1, page(1)).v3(2, page(2)).finish(),
                "snapshot ends at page 2, commit is 3");
    }

    @Test
    void indexMustListExactlyTheFramesRead() {
        LtxHeader h = LtxHeader.of(4096, 9, 5, 5, 0);
        assertRejected(new LtxTestFiles.Raw(h).v3(1, page(1)).v3(2, page(2)).dropIndexEntry(1).finish(),
                "index lists 1 pages, file has 2 frames");
        assertRejected(new LtxTestFiles.Raw(h).v3(1, page(1)).indexEntry(0, 1, 100, 9999).finish(),
                "index entry 0 (pgno 1, offset 100, size 9999) does not match");
    }

    @Test
    void bytesAfterTheTrailerAreRejected() {
        byte[] file = LtxTestFiles.snapshot(4096, 1, 1, 0);
        assertRejected(Arrays.copyOf(file, file.length + 1), "follow the trailer");
    }

    @Test
    void postApplyChecksumMustBeZeroUnderNoChecksum() {
        LtxTestFiles.Raw raw = new LtxTestFiles.Raw(LtxHeader.of(4096, 1, 5, 5, 0)).v3(1, page(1));
        raw.postApply = Crc64Iso.CHECKSUM_FLAG | 3;
        assertRejected(raw.finish(), "post-apply");
    }

    @Test
    void checksummedSnapshotVerifiesItsPostApplyChecksum() throws Exception {
        LtxHeader h = new LtxHeader(0, 4096, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0);
        long db = Crc64Iso.CHECKSUM_FLAG;
        for (int p = 1; p <= 2; p++) {
            db = Crc64Iso.CHECKSUM_FLAG | (db ^ LtxChecksums.page(p, page(p), 0, 4096));
        }
        LtxTestFiles.Raw good = new LtxTestFiles.Raw(h).v3(1, page(1)).v3(2, page(2));
        good.postApply = db;
        assertThat(verify(good.finish())).isEqualTo(h);
        LtxTestFiles.Raw bad = new LtxTestFiles.Raw(h).v3(1, page(1)).v3(2, page(2));
        bad.postApply = db ^ 1;
        assertRejected(bad.finish(), "post-apply checksum");
    }

    @Test
    void legacyFramesDecodeInAWholeFile() throws Exception {
        byte[] file = new LtxTestFiles.Raw(LtxHeader.of(4096, 5, 1, 1, 0))
                .legacy(1, page(1), Bits.CONTENT_CHECKSUM).v3(2, page(2)).legacy(3, page(3))
                .legacy(4, page(4), Bits.BLOCK_CHECKSUM, Bits.CONTENT_SIZE).v3(5, page(5)).finish();
        List<Integer> seen = new ArrayList<>();
        LtxDecoder.decode(new ByteArrayInputStream(file), SRC, (pgno, p) -> {
            assertThat(p).isEqualTo(page(pgno));
            seen.add(pgno);
        });
        assertThat(seen).containsExactly(1, 2, 3, 4, 5);
        LtxRoundTripTest.assertRandomAccessMatches(file, 4096, 0);
    }

    @Test
    void readsFromAStreamThatReturnsOneByteAtATime() throws Exception {
        byte[] file = LtxTestFiles.snapshot(65536, 3, 1, 4);
        InputStream trickle = new ByteArrayInputStream(file) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        assertThat(LtxDecoder.verify(trickle, SRC).commit()).isEqualTo(3);
    }

    @Test
    void streamFailuresStayPlainIOExceptions() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> LtxDecoder.verify(broken, SRC))
                .isExactlyInstanceOf(IOException.class).hasMessage("connection reset");
    }

    @Test
    void decoderRefusesToContinueAfterAFailure() throws Exception {
        byte[] file = LtxTestFiles.snapshot(4096, 2, 1, 0);
        file[100 + 4] = 9; // flags of the first frame
        LtxDecoder dec = new LtxDecoder(new ByteArrayInputStream(file), SRC);
        byte[] p = new byte[4096];
        assertThatThrownBy(() -> dec.readPage(p)).isInstanceOf(LtxFormatException.class);
        assertThatThrownBy(() -> dec.readPage(p)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void indexAndTrailerAreOnlyKnownAtTheEnd() throws Exception {
        LtxDecoder dec = new LtxDecoder(new ByteArrayInputStream(LtxTestFiles.snapshot(4096, 1, 1, 0)), SRC);
        assertThatThrownBy(dec::index).isInstanceOf(IllegalStateException.class);
        byte[] p = new byte[4096];
        assertThat(dec.readPage(p)).isEqualTo(1);
        assertThat(dec.readPage(p)).isZero();
        assertThat(dec.readPage(p)).isZero();
        assertThat(dec.index().size()).isEqualTo(1);
        assertThat(dec.trailer().fileChecksum()).isNegative();
    }
}
