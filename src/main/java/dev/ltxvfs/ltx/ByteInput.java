package dev.ltxvfs.ltx;

import java.io.IOException;

/** Exact reads from a frame's bytes, wherever they come from (an array or the decoder's stream). */
interface ByteInput {

    /** Fills {@code b[off..off+len)}; running out of bytes is an {@link LtxFormatException}. */
    void readFully(byte[] b, int off, int len) throws IOException;

    /** A bounded slice of an array. */
    final class OfArray implements ByteInput {
        private final byte[] buf;
        private final int end;
        private final String source;
        private int pos;

        OfArray(byte[] buf, int off, int len, String source) {
            this.buf = buf;
            this.pos = off;
            this.end = off + len;
            this.source = source;
        }

        @Override
        public void readFully(byte[] b, int off, int len) throws LtxFormatException {
            if (len > end - pos) {
                throw new LtxFormatException(source, "frame truncated: needs " + len + " more bytes, has " + (end - pos));
            }
            System.arraycopy(buf, pos, b, off, len);
            pos += len;
        }
    }
}
