package dev.ltxvfs.ltx;

import java.io.IOException;
import java.io.InputStream;

/**
 * The decoder's own buffer over an {@link InputStream}. Large enough that any whole v3 frame can
 * be made contiguous in it, so frames decompress straight from the buffer without a copy.
 */
final class StreamInput implements ByteInput {

    static final int CAPACITY = 1 << 17; // > V3_HEADER_SIZE + maxCompressedSize(65536)

    final byte[] buf = new byte[CAPACITY];
    int pos;
    private int lim;
    private long base; // file offset of buf[0]
    private boolean eof;
    private final InputStream in;
    private final String source;

    StreamInput(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /** File offset of the next unread byte. */
    long position() {
        return base + pos;
    }

    /** Makes {@code n} bytes available at {@code buf[pos..]}; running out is a format error. */
    void require(int n, String what) throws IOException {
        require(n, what, 0);
    }

    /** As {@link #require(int, String)}; {@code pgno}, if not 0, is named in the message. */
    void require(int n, String what, int pgno) throws IOException {
        if (lim - pos >= n) {
            return;
        }
        if (!fill(n)) {
            throw new LtxFormatException(source, "truncated: ends at byte " + (base + lim) + " while reading "
                    + what + (pgno != 0 ? " " + pgno : ""));
        }
    }

    private boolean fill(int n) throws IOException {
        if (n > buf.length) {
            throw new IllegalStateException("read of " + n + " bytes exceeds the buffer");
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim < n && !eof) {
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim >= n;
    }

    void skip(int n) {
        pos += n;
    }

    /** Next byte, or -1 at the end of the stream. */
    int next() throws IOException {
        if (pos == lim && !fill(1)) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (pos == lim) {
                require(1, "page data");
            }
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }
}
