package dev.ltxvfs.ltx;

import java.io.IOException;
import java.io.InputStream;

/**
 * Streaming decoder of a whole LTX file: header, then pages in file order, then end marker, index
 * and trailer. It verifies everything a single pass can: the header rules, page order (ascending,
 * contiguous in snapshots, never the lock page, never past commit), that every payload is exactly
 * one page, that the index lists exactly the frames read, and the file checksum (CRC-64/GO-ISO
 * over header, frame headers, <em>decompressed</em> pages, end marker, index and post-apply
 * checksum). The checksum is only known at the end: pages handed out before then are unverified
 * until {@link #readPage} returns 0.
 *
 * <p>Memory: a 128 KiB buffer plus the index of the frames actually read; no allocation is sized
 * by a length taken from the file. Not thread-safe. The caller owns and closes the stream.
 *
 * <pre>{@code
 * LtxDecoder dec = new LtxDecoder(in, "L0/0000000000000005-0000000000000005.ltx");
 * byte[] page = new byte[dec.header().pageSize()];
 * for (int pgno; (pgno = dec.readPage(page)) != 0; ) { use(pgno, page); }
 * }</pre>
 */
public final class LtxDecoder {

    /** Receives each page; {@code page} is reused for the next one. */
    @FunctionalInterface
    public interface PageSink {
        void accept(int pgno, byte[] page) throws IOException;
    }

    private final StreamInput in;
    private final String source;
    private final Crc64Iso crc = new Crc64Iso();
    private final LtxPageIndex.Builder frames = new LtxPageIndex.Builder();

    private LtxHeader header;
    private int prevPgno;
    private long dbChecksum = Crc64Iso.CHECKSUM_FLAG; // rolling post-apply checksum, snapshots only
    private LtxPageIndex index;
    private LtxTrailer trailer;
    private boolean failed;

    public LtxDecoder(InputStream in, String source) {
        this.in = new StreamInput(in, source);
        this.source = source;
    }

    /** Decodes a whole file, handing each page to {@code sink}; returns the header once all is verified. */
    public static LtxHeader decode(InputStream in, String source, PageSink sink) throws IOException {
        LtxDecoder dec = new LtxDecoder(in, source);
        byte[] page = new byte[dec.header().pageSize()];
        for (int pgno; (pgno = dec.readPage(page, 0)) != 0; ) {
            sink.accept(pgno, page);
        }
        return dec.header;
    }

    /** Reads and verifies a whole file, discarding the pages. */
    public static LtxHeader verify(InputStream in, String source) throws IOException {
        return decode(in, source, (pgno, page) -> {});
    }

    public String source() {
        return source;
    }

    /** The header, read from the stream on the first call. */
    public LtxHeader header() throws IOException {
        if (header == null) {
            checkNotFailed();
            try {
                in.require(LtxHeader.SIZE, "header");
                header = LtxHeader.decode(in.buf, in.pos, source);
                hash(LtxHeader.SIZE);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }
        return header;
    }

    public int readPage(byte[] dst) throws IOException {
        return readPage(dst, 0);
    }

    /**
     * Decodes the next page into {@code dst[dstOff..dstOff+pageSize)} and returns its pgno. At the
     * end marker it reads and verifies index, trailer and checksum, and returns 0 (and 0 again on
     * later calls).
     */
    public int readPage(byte[] dst, int dstOff) throws IOException {
        int pageSize = header().pageSize();
        java.util.Objects.checkFromIndexSize(dstOff, pageSize, dst.length);
        if (trailer != null) {
            return 0;
        }
        checkNotFailed();
        try {
            return nextPage(dst, dstOff, pageSize);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** The index as read from the file (it equals the frames read); available once finished. */
    public LtxPageIndex index() {
        if (index == null) {
            throw new IllegalStateException("index is known after the last page");
        }
        return index;
    }

    public LtxTrailer trailer() {
        if (trailer == null) {
            throw new IllegalStateException("trailer is known after the last page");
        }
        return trailer;
    }

    /** True once the whole file has been read and verified. */
    public boolean finished() {
        return trailer != null;
    }

    /** Bytes consumed from the stream so far. */
    public long bytesRead() {
        return in.position();
    }

    // After a failure the stream position is unknown, so refuse to go on rather than misreport.
    private void checkNotFailed() {
        if (failed) {
            throw new IllegalStateException(source + ": decoder already failed");
        }
    }

    private int nextPage(byte[] dst, int dstOff, int pageSize) throws IOException {
        long frameStart = in.position();
        in.require(LtxFrames.HEADER_SIZE, "page header");
        int pgno = Bytes.i32(in.buf, in.pos);
        int flags = Bytes.u16(in.buf, in.pos + 4);
        if (pgno == 0 && flags == 0) {
            hash(LtxFrames.HEADER_SIZE);
            finishPages();
            readIndexAndTrailer();
            return 0;
        }
        checkPgno(pgno, flags);
        if (flags == LtxFrames.FLAG_SIZE) {
            in.require(LtxFrames.V3_HEADER_SIZE, "page size prefix");
            int csize = LtxFrames.checkCompressedSize(Bytes.i32(in.buf, in.pos + 6), pageSize, pgno, source);
            in.require(LtxFrames.V3_HEADER_SIZE + csize, "compressed page", pgno);
            LtxFrames.decompressPage(in.buf, in.pos + LtxFrames.V3_HEADER_SIZE, csize, dst, dstOff, pageSize, pgno, source);
            hash(LtxFrames.V3_HEADER_SIZE);
            in.skip(csize);
        } else {
            hash(LtxFrames.HEADER_SIZE); // legacy: the LZ4 frame bytes are not hashed
            LegacyLz4Frame.decode(in, dst, dstOff, pageSize, source);
        }
        crc.update(dst, dstOff, pageSize);
        if (header.isSnapshot() && !header.noChecksum()) {
            dbChecksum = Crc64Iso.CHECKSUM_FLAG | (dbChecksum ^ LtxChecksums.page(pgno, dst, dstOff, pageSize));
        }
        long size = in.position() - frameStart;
        if (size > LtxFrames.MAX_FRAME_SIZE) {
            throw new LtxFormatException(source, "frame of page " + pgno + " is " + size + " bytes long");
        }
        frames.add(pgno, frameStart, (int) size);
        prevPgno = pgno;
        return pgno;
    }

    private void checkPgno(int pgno, int flags) throws LtxFormatException {
        if (pgno == 0) {
            throw new LtxFormatException(source, String.format("page number 0 with flags 0x%04x", flags));
        }
        LtxFrames.checkFlags(flags, pgno, source);
        if (Integer.compareUnsigned(pgno, header.commit()) > 0) {
            throw new LtxFormatException(source, "page " + Integer.toUnsignedString(pgno)
                    + " is past commit " + header.commit());
        }
        // pgno is now positive: commit is at most 2^31-1
        if (pgno == header.lockPage()) {
            throw new LtxFormatException(source, "file holds the lock page " + pgno);
        }
        if (pgno <= prevPgno) {
            throw new LtxFormatException(source, "page " + pgno + " follows page " + prevPgno + ": not ascending");
        }
        if (header.isSnapshot() && pgno != nextSnapshotPgno()) {
            throw new LtxFormatException(source, "snapshot skips from page " + prevPgno + " to " + pgno);
        }
    }

    private int nextSnapshotPgno() {
        int next = prevPgno + 1;
        return next == header.lockPage() ? next + 1 : next;
    }

    private void finishPages() throws LtxFormatException {
        int commit = header.commit();
        int last = commit == header.lockPage() ? commit - 1 : commit;
        if (header.isSnapshot() && prevPgno != last) {
            throw new LtxFormatException(source, "snapshot ends at page " + prevPgno + ", commit is " + commit);
        }
    }

    private void readIndexAndTrailer() throws IOException {
        long indexStart = in.position();
        Uvarint.ByteSource hashed = () -> {
            int b = in.next();
            if (b >= 0) {
                crc.update(b);
            }
            return b;
        };
        int n = frames.size();
        for (int i = 0; ; i++) {
            long pgno = Uvarint.read(hashed, source, "index pgno");
            if (pgno == 0) {
                if (i != n) {
                    throw new LtxFormatException(source, "index lists " + i + " pages, file has " + n + " frames");
                }
                break;
            }
            long offset = Uvarint.read(hashed, source, "index offset");
            long size = Uvarint.read(hashed, source, "index size");
            if (i >= n || pgno != frames.pgno(i) || offset != frames.offset(i) || size != frames.frameSize(i)) {
                throw new LtxFormatException(source, "index entry " + i + " (pgno " + Long.toUnsignedString(pgno)
                        + ", offset " + Long.toUnsignedString(offset) + ", size " + Long.toUnsignedString(size)
                        + ") does not match the frames in the file");
            }
        }
        long indexLen = in.position() - indexStart;
        in.require(8 + LtxTrailer.SIZE, "index length and trailer");
        long declared = Bytes.i64(in.buf, in.pos);
        if (declared != indexLen) {
            throw new LtxFormatException(source, "index length field says " + Long.toUnsignedString(declared)
                    + ", index is " + indexLen + " bytes");
        }
        long postApply = Bytes.i64(in.buf, in.pos + 8);
        long fileChecksum = Bytes.i64(in.buf, in.pos + 16);
        hash(16);
        in.skip(8);
        long actual = Crc64Iso.CHECKSUM_FLAG | crc.value();
        if (fileChecksum != actual) {
            throw new LtxChecksumException(source, fileChecksum, actual);
        }
        checkPostApply(postApply);
        if (in.next() >= 0) {
            throw new LtxFormatException(source, "bytes follow the trailer at " + (in.position() - 1));
        }
        index = frames.build();
        trailer = new LtxTrailer(postApply, fileChecksum);
    }

    private void checkPostApply(long postApply) throws LtxFormatException {
        if (header.noChecksum()) {
            if (postApply != 0) {
                throw new LtxFormatException(source, "post-apply checksum set on a NoChecksum file");
            }
        } else if ((postApply & Crc64Iso.CHECKSUM_FLAG) == 0) {
            throw new LtxFormatException(source, "post-apply checksum missing or lacks bit 63");
        } else if (header.isSnapshot() && postApply != dbChecksum) {
            throw new LtxFormatException(source, String.format(
                    "post-apply checksum %016x does not match the snapshot's pages (%016x)", postApply, dbChecksum));
        }
    }

    /** Adds {@code n} buffered bytes to the file checksum and consumes them. */
    private void hash(int n) {
        crc.update(in.buf, in.pos, n);
        in.skip(n);
    }
}
