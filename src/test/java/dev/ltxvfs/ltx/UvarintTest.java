package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UvarintTest {

    @ParameterizedTest
    @CsvSource({
        "0, 00", "1, 01", "127, 7f", "128, 8001", "300, ac02",
        "100, 64", "525, 8d04", "625, f104", // the offsets and sizes of spec vector 1.9
        "-1, ffffffffffffffffff01"})        // 2^64-1: ten bytes, the last one 1
    void encodesLikeGo(long value, String hex) throws Exception {
        byte[] b = new byte[Uvarint.MAX_LEN];
        int n = Uvarint.write(value, b, 0);
        assertThat(LtxTestFiles.hex(b, 0, n)).isEqualTo(hex);
        assertThat(Uvarint.size(value)).isEqualTo(n);
        Uvarint.Reader r = new Uvarint.Reader(b, 0, n, "t");
        assertThat(r.read("v")).isEqualTo(value);
        assertThat(r.position()).isEqualTo(n);
    }

    @Test
    void roundTripsRandomValuesBackToBack() throws Exception {
        Random rnd = new Random(3);
        long[] values = new long[1000];
        byte[] buf = new byte[values.length * Uvarint.MAX_LEN];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = rnd.nextLong() >>> rnd.nextInt(64);
            n += Uvarint.write(values[i], buf, n);
        }
        Uvarint.Reader r = new Uvarint.Reader(buf, 0, n, "t");
        for (long v : values) {
            assertThat(r.read("v")).isEqualTo(v);
        }
        assertThat(r.position()).isEqualTo(n);
    }

    @Test
    void acceptsNonMinimalEncodingLikeGo() throws Exception {
        assertThat(new Uvarint.Reader(LtxTestFiles.hex("8000"), 0, 2, "t").read("v")).isZero();
    }

    @Test
    void rejectsOverflowInTheTenthByte() {
        byte[] b = LtxTestFiles.hex("ffffffffffffffffff02");
        assertThatThrownBy(() -> new Uvarint.Reader(b, 0, b.length, "src.ltx").read("index pgno"))
                .isInstanceOf(LtxFormatException.class)
                .hasMessageContaining("src.ltx").hasMessageContaining("overflow");
    }

    @Test
    void rejectsElevenByteVarint() {
        byte[] b = LtxTestFiles.hex("8080808080808080808001");
        assertThatThrownBy(() -> new Uvarint.Reader(b, 0, b.length, "src.ltx").read("v"))
                .isInstanceOf(LtxFormatException.class).hasMessageContaining("src.ltx");
    }

    @Test
    void rejectsTruncatedVarint() {
        byte[] b = LtxTestFiles.hex("ac");
        assertThatThrownBy(() -> new Uvarint.Reader(b, 0, 1, "src.ltx").read("index size"))
                .isInstanceOf(LtxFormatException.class)
                .hasMessageContaining("src.ltx").hasMessageContaining("truncated").hasMessageContaining("index size");
    }
}
