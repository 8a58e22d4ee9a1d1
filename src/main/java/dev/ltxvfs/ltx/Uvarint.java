package dev.ltxvfs.ltx;

import java.io.IOException;

/**
 * Go's {@code encoding/binary} unsigned varint (unsigned LEB128): 7 bits per byte, low group first,
 * high bit = more bytes follow. At most 10 bytes, and the 10th may only be 0 or 1, exactly as Go's
 * {@code ReadUvarint} rejects overflow. Like Go, non-minimal encodings (e.g. {@code 80 00}) are
 * accepted.
 */
public final class Uvarint {

    /** Longest encoding of a 64-bit value. */
    public static final int MAX_LEN = 10;

    private Uvarint() {}

    /** Number of bytes {@link #write} uses for {@code value} (taken as unsigned). */
    public static int size(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    /** Writes {@code value} (unsigned) at {@code dst[off]}; returns the number of bytes written. */
    public static int write(long value, byte[] dst, int off) {
        int start = off;
        while ((value & ~0x7FL) != 0) {
            dst[off++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        dst[off++] = (byte) value;
        return off - start;
    }

    /** A source of single bytes: 0..255, or -1 at the end. */
    @FunctionalInterface
    public interface ByteSource {
        int next() throws IOException;
    }

    /**
     * Reads one varint from {@code in}.
     *
     * @param what names the field in error messages, e.g. "index pgno"
     */
    public static long read(ByteSource in, String source, String what) throws IOException {
        long value = 0;
        for (int i = 0, shift = 0; i < MAX_LEN; i++, shift += 7) {
            int b = in.next();
            if (b < 0) {
                throw new LtxFormatException(source, "truncated varint (" + what + ")");
            }
            if (i == MAX_LEN - 1 && b > 1) {
                throw new LtxFormatException(source, "varint overflows 64 bits (" + what + ")");
            }
            value |= (long) (b & 0x7F) << shift;
            if (b < 0x80) {
                return value;
            }
        }
        throw new LtxFormatException(source, "varint longer than " + MAX_LEN + " bytes (" + what + ")");
    }

    /** Reads varints from a byte range, tracking the position. */
    public static final class Reader implements ByteSource {
        private final byte[] buf;
        private final int limit;
        private final String source;
        private int pos;

        /** Reads {@code buf[off..limit)}. */
        public Reader(byte[] buf, int off, int limit, String source) {
            java.util.Objects.checkFromToIndex(off, limit, buf.length);
            this.buf = buf;
            this.pos = off;
            this.limit = limit;
            this.source = source;
        }

        @Override
        public int next() {
            return pos < limit ? buf[pos++] & 0xFF : -1;
        }

        public long read(String what) throws LtxFormatException {
            try {
                return Uvarint.read(this, source, what);
            } catch (LtxFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new AssertionError(e); // next() never throws
            }
        }

        public int position() {
            return pos;
        }
    }
}
