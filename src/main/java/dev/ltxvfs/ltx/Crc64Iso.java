package dev.ltxvfs.ltx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-64/GO-ISO, the checksum of Go's {@code hash/crc64} with the ISO table, which LTX uses for
 * its file checksum. Reflected polynomial 0xD800000000000000, init and xorout all ones; the check
 * value for "123456789" is 0xB90956C775A41001. Slice-by-8: whole files (tens of MiB) are hashed
 * on every verified decode, so a byte-at-a-time loop would dominate the decode cost.
 *
 * <p>Not thread-safe; create one per stream.
 */
public final class Crc64Iso {

    /** LTX stores checksums with bit 63 set, so a stored checksum is never zero. */
    public static final long CHECKSUM_FLAG = 1L << 63;

    private static final long POLY_REFLECTED = 0xD800000000000000L;
    private static final long[][] TABLES = tables();
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long crc = ~0L;

    /** Adds {@code len} bytes of {@code b} from {@code off}. */
    public Crc64Iso update(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        long c = crc;
        long[] t0 = TABLES[0], t1 = TABLES[1], t2 = TABLES[2], t3 = TABLES[3];
        long[] t4 = TABLES[4], t5 = TABLES[5], t6 = TABLES[6], t7 = TABLES[7];
        int end = off + len;
        while (end - off >= 8) {
            long x = c ^ (long) LONG_LE.get(b, off);
            c = t7[(int) x & 0xff]
                    ^ t6[(int) (x >>> 8) & 0xff]
                    ^ t5[(int) (x >>> 16) & 0xff]
                    ^ t4[(int) (x >>> 24) & 0xff]
                    ^ t3[(int) (x >>> 32) & 0xff]
                    ^ t2[(int) (x >>> 40) & 0xff]
                    ^ t1[(int) (x >>> 48) & 0xff]
                    ^ t0[(int) (x >>> 56) & 0xff];
            off += 8;
        }
        while (off < end) {
            c = t0[(int) (c ^ b[off++]) & 0xff] ^ (c >>> 8);
        }
        crc = c;
        return this;
    }

    /** Adds one byte (the low 8 bits of {@code b}). */
    public Crc64Iso update(int b) {
        crc = TABLES[0][(int) (crc ^ b) & 0xff] ^ (crc >>> 8);
        return this;
    }

    public Crc64Iso update(byte[] b) {
        return update(b, 0, b.length);
    }

    /** The CRC of everything added since construction or the last {@link #reset()}. */
    public long value() {
        return ~crc;
    }

    public void reset() {
        crc = ~0L;
    }

    /** One-shot CRC of a byte range. */
    public static long of(byte[] b, int off, int len) {
        return new Crc64Iso().update(b, off, len).value();
    }

    private static long[][] tables() {
        long[][] t = new long[8][256];
        for (int i = 0; i < 256; i++) {
            long c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ POLY_REFLECTED : c >>> 1;
            }
            t[0][i] = c;
        }
        // t[k][i] is the CRC of byte i followed by k zero bytes, which lets 8 bytes fold at once.
        for (int i = 0; i < 256; i++) {
            long c = t[0][i];
            for (int k = 1; k < 8; k++) {
                c = t[0][(int) c & 0xff] ^ (c >>> 8);
                t[k][i] = c;
            }
        }
        return t;
    }
}
