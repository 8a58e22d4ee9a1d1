package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64IsoTest {

    /** Bit-at-a-time definition of CRC-64/GO-ISO, to check the sliced tables against. */
    private static long reference(byte[] b, int off, int len) {
        long crc = ~0L;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xD800000000000000L : crc >>> 1;
            }
        }
        return ~crc;
    }

    @Test
    void checkValueOf123456789() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64Iso.of(b, 0, b.length)).isEqualTo(0xB90956C775A41001L);
    }

    @Test
    void emptyInputIsZero() {
        assertThat(new Crc64Iso().value()).isZero();
    }

    @Test
    void slicedUpdateMatchesBitwiseDefinitionAtEveryLengthAndAlignment() {
        byte[] b = new byte[300];
        new Random(1).nextBytes(b);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len + off <= b.length; len += 7) {
                assertThat(Crc64Iso.of(b, off, len)).as("off %d len %d", off, len).isEqualTo(reference(b, off, len));
            }
        }
    }

    @Test
    void incrementalUpdatesAtAnySplitEqualOneShot() {
        byte[] b = new byte[100];
        new Random(2).nextBytes(b);
        long whole = Crc64Iso.of(b, 0, b.length);
        Crc64Iso c = new Crc64Iso();
        for (int split = 0; split <= b.length; split++) {
            c.reset();
            c.update(b, 0, split).update(b, split, b.length - split);
            assertThat(c.value()).isEqualTo(whole);
        }
        c.reset();
        for (byte x : b) {
            c.update(x);
        }
        assertThat(c.value()).isEqualTo(whole);
    }

    @Test
    void checksumFlagIsBit63() {
        assertThat(Crc64Iso.CHECKSUM_FLAG).isEqualTo(0x8000000000000000L);
    }
}
