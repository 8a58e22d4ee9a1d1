package dev.ltxvfs.ltx;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * Writes one LTX file the way current Litestream does: NoChecksum header, v3 frames (flag 1, u32
 * size, LZ4 block) in ascending pgno, end marker, index, trailer with the file checksum. Pages
 * are compressed straight into an internal buffer, so the stream sees large writes.
 *
 * <p>Breaking the page rules (order, lock page, pgno past commit, gaps in a snapshot) is a bug in
 * the caller and throws {@link IllegalArgumentException}/{@link IllegalStateException}.
 * The caller owns and closes the stream; {@link #finish()} flushes it.
 */
public final class LtxEncoder {

    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();

    private final OutputStream out;
    private final LtxHeader header;
    private final int pageSize;
    private final Crc64Iso crc = new Crc64Iso();
    private final LtxPageIndex.Builder frames = new LtxPageIndex.Builder();
    private final byte[] buf;
    private int len;
    private long written; // bytes handed to out
    private int prevPgno;
    private boolean started;
    private LtxTrailer trailer;

    /** @throws IllegalArgumentException if the header is invalid or not NoChecksum */
    public LtxEncoder(OutputStream out, LtxHeader header) {
        this.out = Objects.requireNonNull(out);
        try {
            header.validate("header to encode");
        } catch (LtxFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!header.noChecksum()) {
            throw new IllegalArgumentException("only NoChecksum files can be written (flags 0x2)");
        }
        this.header = header;
        this.pageSize = header.pageSize();
        this.buf = new byte[Math.max(1 << 16, 2 * (LtxFrames.V3_HEADER_SIZE + LtxFrames.maxCompressedSize(pageSize)))];
    }

    public LtxHeader header() {
        return header;
    }

    /** Appends page {@code pgno}, {@code data[off..off+pageSize)}. */
    public void writePage(int pgno, byte[] data, int off) throws IOException {
        Objects.checkFromIndexSize(off, pageSize, data.length);
        checkPgno(pgno);
        start();
        int room = LtxFrames.V3_HEADER_SIZE + LtxFrames.maxCompressedSize(pageSize);
        if (buf.length - len < room) {
            flushBuffer();
        }
        int frame = len;
        int csize = COMPRESSOR.compress(data, off, pageSize, buf, frame + LtxFrames.V3_HEADER_SIZE,
                LtxFrames.maxCompressedSize(pageSize));
        Bytes.put32(buf, frame, pgno);
        Bytes.put16(buf, frame + 4, LtxFrames.FLAG_SIZE);
        Bytes.put32(buf, frame + 6, csize);
        crc.update(buf, frame, LtxFrames.V3_HEADER_SIZE).update(data, off, pageSize);
        int frameSize = LtxFrames.V3_HEADER_SIZE + csize;
        frames.add(pgno, written + frame, frameSize);
        len += frameSize;
        prevPgno = pgno;
    }

    /** Writes end marker, index and trailer, flushes the stream, and returns the trailer. */
    public LtxTrailer finish() throws IOException {
        if (trailer != null) {
            return trailer;
        }
        int last = header.commit() == header.lockPage() ? header.commit() - 1 : header.commit();
        if (header.isSnapshot() && prevPgno != last) {
            throw new IllegalStateException("snapshot has pages 1.." + prevPgno + " but commit is " + header.commit());
        }
        start();
        ensure(LtxFrames.HEADER_SIZE);
        java.util.Arrays.fill(buf, len, len + LtxFrames.HEADER_SIZE, (byte) 0);
        crc.update(buf, len, LtxFrames.HEADER_SIZE);
        len += LtxFrames.HEADER_SIZE;

        long indexLen = 0;
        for (int i = 0; i < frames.size(); i++) {
            ensure(3 * Uvarint.MAX_LEN);
            int n = Uvarint.write(frames.pgno(i), buf, len);
            n += Uvarint.write(frames.offset(i), buf, len + n);
            n += Uvarint.write(frames.frameSize(i), buf, len + n);
            crc.update(buf, len, n);
            len += n;
            indexLen += n;
        }
        ensure(1 + 8 + LtxTrailer.SIZE);
        buf[len] = 0;
        Bytes.put64(buf, len + 1, indexLen + 1);
        Bytes.put64(buf, len + 9, 0); // post-apply checksum: none under NoChecksum
        crc.update(buf, len, 17);
        long fileChecksum = Crc64Iso.CHECKSUM_FLAG | crc.value();
        Bytes.put64(buf, len + 17, fileChecksum);
        len += 25;
        flushBuffer();
        out.flush();
        trailer = new LtxTrailer(0, fileChecksum);
        return trailer;
    }

    /** The index written (offsets are absolute in the output); available after {@link #finish()}. */
    public LtxPageIndex index() {
        if (trailer == null) {
            throw new IllegalStateException("index is known after finish()");
        }
        return frames.build();
    }

    /** Bytes produced so far, including what is still buffered. */
    public long bytesWritten() {
        return written + len;
    }

    private void checkPgno(int pgno) {
        if (trailer != null) {
            throw new IllegalStateException("encoder already finished");
        }
        if (pgno <= 0 || pgno > header.commit()) {
            throw new IllegalArgumentException("page " + pgno + " outside 1..commit " + header.commit());
        }
        if (pgno == header.lockPage()) {
            throw new IllegalArgumentException("page " + pgno + " is the lock page for page size " + pageSize);
        }
        if (pgno <= prevPgno) {
            throw new IllegalArgumentException("page " + pgno + " after page " + prevPgno + ": pages must ascend");
        }
        if (header.isSnapshot()) {
            int next = prevPgno + 1 == header.lockPage() ? prevPgno + 2 : prevPgno + 1;
            if (pgno != next) {
                throw new IllegalArgumentException("snapshot page " + pgno + " after " + prevPgno + ": must be contiguous");
            }
        }
    }

    private void start() {
        if (!started) {
            header.encodeTo(buf, 0);
            crc.update(buf, 0, LtxHeader.SIZE);
            len = LtxHeader.SIZE;
            started = true;
        }
    }

    private void ensure(int n) throws IOException {
        if (buf.length - len < n) {
            flushBuffer();
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, len);
        written += len;
        len = 0;
    }
}
