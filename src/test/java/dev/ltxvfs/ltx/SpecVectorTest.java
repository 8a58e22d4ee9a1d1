package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spec 1.9, built byte by byte: page size 512, commit 2, TXID 2..2, two pages stored as
 * literal-only LZ4 blocks. The spec does not say what the pages contain, so the stored file
 * checksum is computed here rather than taken from the spec (0xa099aa5c21c075bb was not reproduced
 * by any uniform fill); everything else is compared with the spec's bytes.
 */
class SpecVectorTest {

    private static final int PAGE = 512;

    /** Literal-only LZ4 block of 512 bytes: token F0, length 15 + 255 + 242, then the bytes. */
    private static byte[] literalBlock(byte[] page) {
        byte[] b = new byte[3 + page.length];
        b[0] = (byte) 0xF0;
        b[1] = (byte) 255;
        b[2] = (byte) 242;
        System.arraycopy(page, 0, b, 3, page.length);
        return b;
    }

    private static byte[] pageOf(int fill) {
        byte[] p = new byte[PAGE];
        Arrays.fill(p, (byte) fill);
        return p;
    }

    static byte[] vector() {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(LtxTestFiles.hex(LtxHeaderTest.SPEC_HEADER_HEX));
        f.writeBytes(LtxTestFiles.hex("00000001 0001 00000203"));
        f.writeBytes(literalBlock(pageOf(1)));
        f.writeBytes(LtxTestFiles.hex("00000002 0001 00000203"));
        f.writeBytes(literalBlock(pageOf(2)));
        f.writeBytes(LtxTestFiles.hex("000000000000 | 01 64 8d04 | 02 f104 8d04 | 00 | 000000000000000a | 0000000000000000"));
        byte[] file = Arrays.copyOf(f.toByteArray(), 1190);
        // Spec 1.5: header, each frame's 10 header bytes then its page decompressed (never the LZ4
        // token bytes), then end marker, index, length and post-apply checksum.
        Crc64Iso crc = new Crc64Iso().update(file, 0, 100);
        crc.update(file, 100, 10).update(pageOf(1), 0, PAGE);
        crc.update(file, 625, 10).update(pageOf(2), 0, PAGE);
        crc.update(file, 1150, 1182 - 1150);
        Bytes.put64(file, 1182, Crc64Iso.CHECKSUM_FLAG | crc.value());
        return file;
    }

    @Test
    void layoutArithmeticMatchesTheSpec() throws Exception {
        byte[] file = vector();
        assertThat(file).hasSize(1190);
        assertThat(LtxTail.indexStart(Arrays.copyOfRange(file, 1190 - 24, 1190), 1190, "vector")).isEqualTo(1156);
        assertThat(LtxTestFiles.hex(file, 100, 10)).isEqualTo("00000001000100000203");
        assertThat(file[(int) (1190 - 8)] & 0x80).as("bit 63 of the file checksum").isEqualTo(0x80);
    }

    @Test
    void tailIndexListsBothFrames() throws Exception {
        LtxPageIndex index = LtxTail.decodeIndex(vector(), "vector");
        assertThat(index.size()).isEqualTo(2);
        assertThat(new long[] {index.pgno(0), index.offset(0), index.frameSize(0)}).containsExactly(1, 100, 525);
        assertThat(new long[] {index.pgno(1), index.offset(1), index.frameSize(1)}).containsExactly(2, 625, 525);
        assertThat(index.find(2)).isEqualTo(1);
        assertThat(index.find(3)).isEqualTo(-1);
    }

    @Test
    void decoderVerifiesTheHandBuiltFile() throws Exception {
        byte[] file = vector();
        List<byte[]> pages = new ArrayList<>();
        LtxHeader h = LtxDecoder.decode(new ByteArrayInputStream(file), "vector", (pgno, p) -> pages.add(p.clone()));
        assertThat(h).isEqualTo(LtxHeader.of(512, 2, 2, 2, 1_700_000_000_000L));
        assertThat(pages).containsExactly(pageOf(1), pageOf(2));
    }

    @Test
    void eachFrameDecodesAlone() throws Exception {
        byte[] file = vector();
        byte[] dst = new byte[PAGE];
        LtxFrames.decodePage(file, 625, 525, 2, PAGE, dst, 0, "vector");
        assertThat(dst).isEqualTo(pageOf(2));
    }
}
