package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits;
import org.junit.jupiter.api.Test;

class LtxFramesTest {

    private static final int PAGE = 4096;
    private static final byte[] CONTENT = LtxTestFiles.page(PAGE, 7, 1);

    /** pgno | flags | [size] | payload. */
    private static byte[] frame(int pgno, int flags, byte[] payload) {
        int h = (flags & 1) != 0 ? 10 : 6;
        byte[] f = new byte[h + payload.length];
        Bytes.put32(f, 0, pgno);
        Bytes.put16(f, 4, flags);
        if (h == 10) {
            Bytes.put32(f, 6, payload.length);
        }
        System.arraycopy(payload, 0, f, h, payload.length);
        return f;
    }

    private static byte[] block(byte[] data) {
        byte[] b = new byte[LtxFrames.maxCompressedSize(data.length)];
        int n = LZ4Factory.safeInstance().fastCompressor().compress(data, 0, data.length, b, 0, b.length);
        return Arrays.copyOf(b, n);
    }

    private static byte[] decode(byte[] f, int pgno) throws LtxFormatException {
        byte[] dst = new byte[PAGE];
        LtxFrames.decodePage(f, 0, f.length, pgno, PAGE, dst, 0, "frame-src");
        return dst;
    }

    private static void assertRejected(byte[] f, String message) {
        assertThatThrownBy(() -> decode(f, 7)).isInstanceOf(LtxFormatException.class)
                .hasMessageStartingWith("frame-src: ").hasMessageContaining(message);
    }

    @Test
    void v3FrameDecodesFromTheMiddleOfABuffer() throws Exception {
        byte[] f = frame(7, 1, block(CONTENT));
        byte[] buf = new byte[f.length + 20];
        System.arraycopy(f, 0, buf, 11, f.length);
        byte[] dst = new byte[PAGE + 5];
        LtxFrames.decodePage(buf, 11, f.length, 7, PAGE, dst, 5, "x");
        assertThat(Arrays.copyOfRange(dst, 5, 5 + PAGE)).isEqualTo(CONTENT);
    }

    @Test
    void legacyFramesDecodeWithEveryOptionalField() throws Exception {
        assertThat(decode(frame(7, 0, LtxTestFiles.lz4Frame(CONTENT)), 7)).isEqualTo(CONTENT);
        assertThat(decode(frame(7, 0, LtxTestFiles.lz4Frame(CONTENT, Bits.CONTENT_CHECKSUM)), 7)).isEqualTo(CONTENT);
        assertThat(decode(frame(7, 0, LtxTestFiles.lz4Frame(CONTENT, Bits.CONTENT_CHECKSUM, Bits.BLOCK_CHECKSUM,
                Bits.CONTENT_SIZE)), 7)).isEqualTo(CONTENT);
    }

    @Test
    void legacyFrameWithAStoredBlockDecodes() throws Exception {
        byte[] random = new byte[PAGE];
        new Random(5).nextBytes(random); // incompressible: the LZ4 frame stores the block raw
        byte[] lz = LtxTestFiles.lz4Frame(random, Bits.CONTENT_CHECKSUM);
        assertThat(lz[7 + 3] & 0x80).as("stored-block bit").isNotZero();
        assertThat(decode(frame(7, 0, lz), 7)).isEqualTo(random);
    }

    @Test
    void legacyFrameChecksumsAreVerified() {
        byte[] lz = LtxTestFiles.lz4Frame(CONTENT, Bits.CONTENT_CHECKSUM);
        lz[lz.length - 1] ^= 1;
        assertRejected(frame(7, 0, lz), "content checksum");
        byte[] hc = LtxTestFiles.lz4Frame(CONTENT);
        hc[6] ^= 1; // header checksum byte
        assertRejected(frame(7, 0, hc), "header checksum");
        byte[] magic = LtxTestFiles.lz4Frame(CONTENT);
        magic[0] = 0;
        assertRejected(frame(7, 0, magic), "magic");
    }

    @Test
    void truncatedLegacyFrameIsRejected() {
        byte[] lz = LtxTestFiles.lz4Frame(CONTENT, Bits.CONTENT_CHECKSUM);
        assertRejected(frame(7, 0, Arrays.copyOf(lz, lz.length - 5)), "truncated");
    }

    @Test
    void wrongPgnoIsRejected() {
        assertRejected(frame(8, 1, block(CONTENT)), "frame holds page 8, expected page 7");
    }

    @Test
    void unknownFlagsAreRejected() {
        assertRejected(frame(7, 3, block(CONTENT)), "flags");
        assertRejected(frame(7, 0x8000, block(CONTENT)), "flags");
    }

    @Test
    void payloadThatIsNotExactlyOnePageIsRejected() {
        assertRejected(frame(7, 1, block(Arrays.copyOf(CONTENT, PAGE - 1))), "decompresses to 4095 bytes");
        assertRejected(frame(7, 1, block(Arrays.copyOf(CONTENT, PAGE + 1))), "corrupt LZ4 block");
        assertRejected(frame(7, 0, LtxTestFiles.lz4Frame(Arrays.copyOf(CONTENT, 100))), "decodes to 100 bytes");
    }

    @Test
    void compressedSizeMustFitTheFrameAndThePage() {
        byte[] f = frame(7, 1, block(CONTENT));
        assertRejected(Arrays.copyOf(f, f.length - 1), "declares");
        Bytes.put32(f, 6, 0);
        assertRejected(f, "compressed size 0");
        Bytes.put32(f, 6, -1);
        assertRejected(f, "compressed size 4294967295");
    }

    @Test
    void garbagePayloadIsRejected() {
        byte[] junk = new byte[200];
        new Random(9).nextBytes(junk);
        assertRejected(frame(7, 1, junk), "LZ4");
    }

    @Test
    void frameShorterThanAHeaderIsRejected() {
        assertRejected(new byte[] {0, 0, 0, 7, 0}, "shorter than a page header");
        assertRejected(new byte[] {0, 0, 0, 7, 0, 1, 0}, "truncated before its size");
    }

    @Test
    void callerMistakesAreNotFormatErrors() {
        byte[] f = frame(7, 1, block(CONTENT));
        assertThatThrownBy(() -> LtxFrames.decodePage(f, 0, f.length, 7, PAGE, new byte[PAGE - 1], 0, "x"))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> LtxFrames.decodePage(f, 0, f.length, 7, 1000, new byte[PAGE], 0, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
