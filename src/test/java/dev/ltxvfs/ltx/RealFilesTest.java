package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Files written by the real Litestream VFS (litestream-vfs 0.5.17, Go ltx v0.5.2, pierrec LZ4) in
 * write mode: the first three level-0 files of a new database with 4 KiB pages. They pin our
 * reading of the format, checksum included, to what Go actually writes.
 */
class RealFilesTest {

    static final String L0_1 = """
            4c54583100000002000010000000000200000000000000010000000000000001000001a20b13c1800000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            0000000000000001000100000098f30d53514c69746520666f726d617420330010000101004020200000000204000402
            005301000000040c000410000f02000dff0002002e63010d000000010fc3000fc32f000d0f0200ffffffffffffffffff
            ffffffffffff31f02e3b0106170f0f01677461626c65747402435245415445205441424c452074286120494e54454745
            52205052494d415259204b45592c20622054455854290000000200010000002fcf0d000000010ff8000ff800000200ff
            ffffffffffffffffffffffffffffe0000200c00000000006010300136f6e650000000000000164a20102860239000000
            0000000000090000000000000000ec383269a556ba73
            """;
    static final String L0_2 = """
            4c54583100000002000010000000000200000000000000020000000000000002000001a20b13cec40000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000100010000009df61253514c69746520666f726d61742033001000010100402020bcaabf3f00000002
            0001005501000000040e000210000f02000aff03bcaabf3f002e63010d000000010fc3000fc32e00090f0200ffffffff
            ffffffffffffffffffffff35f02e3b0106170f0f01677461626c65747402435245415445205441424c45207428612049
            4e5445474552205052494d415259204b45592c206220544558542900000002000100000032df0d000000020ff0000ff8
            0ff0000100ffffffffffffffffffffffffffffffdff001060203001374776f06010300136f6e650000000000000164a7
            01028b023c0000000000000000090000000000000000e8a2a9e6c072bdd3
            """;
    static final String L0_3 = """
            4c54583100000002000010000000000200000000000000030000000000000003000001a20b13d00b0000000000000000
            000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
            000000000000000100010000009df61253514c69746520666f726d617420330010000101004020206226287800000002
            0001005501000000040e000210000f02000aff0362262878002e63010d000000010fc3000fc32e00090f0200ffffffff
            ffffffffffffffffffffff35f02e3b0106170f0f01677461626c65747402435245415445205441424c45207428612049
            4e5445474552205052494d415259204b45592c206220544558542900000002000100000040ff010d000000030fe6000f
            f80ff00fe600000200ffffffffffffffffffffffffffffffd2f00b08030300177468726565060203001374776f060103
            00136f6e650000000000000164a701028b024a0000000000000000090000000000000000fdff395844696f0c
            """;

    static byte[] file(String hex) {
        return LtxTestFiles.hex(hex);
    }

    @Test
    void decoderVerifiesChecksumAndIndexOfGoWrittenFiles() throws Exception {
        for (String hex : List.of(L0_1, L0_2, L0_3)) {
            byte[] f = file(hex);
            LtxDecoder dec = new LtxDecoder(new ByteArrayInputStream(f), "L0");
            byte[] page = new byte[4096];
            assertThat(dec.readPage(page)).isEqualTo(1);
            assertThat(new String(page, 0, 16, StandardCharsets.US_ASCII)).isEqualTo("SQLite format 3\0");
            assertThat(dec.readPage(page)).isEqualTo(2);
            assertThat(dec.readPage(page)).isZero();
            assertThat(dec.header().flags()).isEqualTo(LtxHeader.FLAG_NO_CHECKSUM);
            assertThat(dec.header().commit()).isEqualTo(2);
            assertThat(dec.trailer().postApplyChecksum()).isZero();
            assertThat(dec.index()).isEqualTo(LtxTail.decodeIndex(f, "L0"));
        }
    }

    @Test
    void firstFileIsASnapshotOfANewDatabase() throws Exception {
        LtxHeader h = LtxDecoder.verify(new ByteArrayInputStream(file(L0_1)), "L0_1");
        assertThat(h.isSnapshot()).isTrue();
        assertThat(h.minTxid()).isEqualTo(1);
        assertThat(h.maxTxid()).isEqualTo(1);
        assertThat(h.pageSize()).isEqualTo(4096);
    }

    @Test
    void framesDecodeOneByOneFromTheTailIndex() throws Exception {
        byte[] f = file(L0_3);
        Map<Integer, byte[]> streamed = new HashMap<>();
        LtxDecoder.decode(new ByteArrayInputStream(f), "L0_3", (pgno, p) -> streamed.put(pgno, p.clone()));
        LtxPageIndex index = LtxTail.decodeIndex(f, "L0_3");
        byte[] page = new byte[4096];
        for (int i = 0; i < index.size(); i++) {
            LtxFrames.decodePage(f, (int) index.offset(i), index.frameSize(i), index.pgno(i), 4096, page, 0, "L0_3");
            assertThat(page).isEqualTo(streamed.get(index.pgno(i)));
        }
    }

    @Test
    void compactingTheThreeGivesTheNewestPagesAsASnapshot() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxHeader h = LtxCompactor.compact(List.of(
                new LtxCompactor.Input(new ByteArrayInputStream(file(L0_1)), "L0_1"),
                new LtxCompactor.Input(new ByteArrayInputStream(file(L0_2)), "L0_2"),
                new LtxCompactor.Input(new ByteArrayInputStream(file(L0_3)), "L0_3")), out);
        assertThat(h.minTxid()).isEqualTo(1);
        assertThat(h.maxTxid()).isEqualTo(3);
        Map<Integer, byte[]> newest = new HashMap<>();
        LtxDecoder.decode(new ByteArrayInputStream(file(L0_3)), "L0_3", (pgno, p) -> newest.put(pgno, p.clone()));
        Map<Integer, byte[]> compacted = new HashMap<>();
        LtxDecoder.decode(new ByteArrayInputStream(out.toByteArray()), "out", (pgno, p) -> compacted.put(pgno, p.clone()));
        assertThat(compacted).containsOnlyKeys(1, 2);
        assertThat(compacted.get(1)).isEqualTo(newest.get(1));
        assertThat(compacted.get(2)).isEqualTo(newest.get(2));
    }
}
