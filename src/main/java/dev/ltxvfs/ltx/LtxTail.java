package dev.ltxvfs.ltx;

/**
 * Reading the page index from the end of a file (spec 1.3, 1.7), the way a remote reader does:
 * fetch the last {@link #DEFAULT_READ} bytes, find where the index starts from the u64 length
 * before the trailer, fetch more if the index begins earlier, then decode it.
 *
 * <pre>
 * ... | end marker (6 zero bytes) | uvarint(pgno, offset, size)* | 0x00 | u64 indexLen | trailer (16)
 *                                  ^ indexStart = fileSize - 16 - 8 - indexLen
 * </pre>
 *
 * Everything in the index is untrusted: entries must ascend by pgno, frames must lie inside the
 * page block without overlapping, and the varint section must end exactly where the length says.
 */
public final class LtxTail {

    /** How much of the tail Litestream reads first; enough for the index of ~3000 pages. */
    public static final int DEFAULT_READ = 32768;
    /** The index length field plus the trailer. */
    public static final int FOOTER_SIZE = 8 + LtxTrailer.SIZE;

    // Smallest possible file: header, end marker, a lone terminator, length, trailer.
    private static final long MIN_FILE = LtxHeader.SIZE + LtxFrames.HEADER_SIZE + 1 + FOOTER_SIZE;

    private LtxTail() {}

    /**
     * Absolute offset where the varint index begins, read from the last 24 bytes of {@code tail}
     * (the last bytes of a file of {@code fileSize} bytes). If it is before the first byte of
     * {@code tail}, the caller must read from there.
     */
    public static long indexStart(byte[] tail, long fileSize, String source) throws LtxFormatException {
        if (tail.length < FOOTER_SIZE) {
            throw new LtxFormatException(source, "ltx file too short to contain a page index: " + tail.length
                    + " tail bytes, need " + FOOTER_SIZE);
        }
        if (fileSize < tail.length) {
            throw new IllegalArgumentException("tail of " + tail.length + " bytes is longer than file size " + fileSize);
        }
        if (fileSize < MIN_FILE) {
            throw new LtxFormatException(source, "file of " + fileSize + " bytes is too short to be LTX");
        }
        long n = Bytes.i64(tail, tail.length - FOOTER_SIZE);
        long max = fileSize - MIN_FILE + 1;
        if (n < 1 || n > max) {
            throw new LtxFormatException(source, "page index length " + Long.toUnsignedString(n)
                    + " is impossible in a file of " + fileSize + " bytes");
        }
        return fileSize - FOOTER_SIZE - n;
    }

    /**
     * Decodes the index from {@code tail}, which holds the file's bytes from absolute
     * {@code tailOffset} to its end ({@code fileSize}). The tail must reach back to
     * {@link #indexStart}.
     */
    public static LtxPageIndex decodeIndex(byte[] tail, long tailOffset, long fileSize, String source)
            throws LtxFormatException {
        if (tailOffset < 0 || tailOffset + tail.length != fileSize) {
            throw new IllegalArgumentException("tail [" + tailOffset + ", +" + tail.length
                    + ") does not end at file size " + fileSize);
        }
        long start = indexStart(tail, fileSize, source);
        if (start < tailOffset) {
            throw new IllegalArgumentException(source + ": index starts at " + start
                    + ", before the tail read from " + tailOffset + "; read from indexStart()");
        }
        long endMarker = start - LtxFrames.HEADER_SIZE;
        int from = (int) (start - tailOffset);
        int to = tail.length - FOOTER_SIZE;
        for (int i = Math.max(0, from - LtxFrames.HEADER_SIZE); i < from; i++) {
            if (tail[i] != 0) {
                throw new LtxFormatException(source, "no end-of-pages marker before the page index at " + start);
            }
        }

        Uvarint.Reader r = new Uvarint.Reader(tail, from, to, source);
        LtxPageIndex.Builder b = new LtxPageIndex.Builder((to - from) / 8);
        long prevPgno = 0;
        long prevEnd = LtxHeader.SIZE;
        while (true) {
            long pgno = r.read("index pgno");
            if (pgno == 0) {
                break;
            }
            long offset = r.read("index offset");
            long size = r.read("index size");
            if (Long.compareUnsigned(pgno, prevPgno) <= 0 || pgno > Integer.MAX_VALUE) {
                throw new LtxFormatException(source, "index entry " + b.size() + ": pgno " + Long.toUnsignedString(pgno)
                        + " not ascending after " + prevPgno + " (or out of range)");
            }
            if (Long.compareUnsigned(size, LtxFrames.MIN_FRAME_SIZE) < 0
                    || Long.compareUnsigned(size, LtxFrames.MAX_FRAME_SIZE) > 0) {
                throw new LtxFormatException(source, "index entry for page " + pgno + ": frame size "
                        + Long.toUnsignedString(size) + " outside " + LtxFrames.MIN_FRAME_SIZE + ".." + LtxFrames.MAX_FRAME_SIZE);
            }
            if (Long.compareUnsigned(offset, prevEnd) < 0 || Long.compareUnsigned(offset, endMarker) > 0
                    || size > endMarker - offset) {
                throw new LtxFormatException(source, "index entry for page " + pgno + ": frame at "
                        + Long.toUnsignedString(offset) + " (+" + size + ") is outside the page block ["
                        + prevEnd + ", " + endMarker + ") or overlaps the previous frame");
            }
            b.add((int) pgno, offset, (int) size);
            prevPgno = pgno;
            prevEnd = offset + size;
        }
        if (r.position() != to) {
            throw new LtxFormatException(source, "page index ends " + (to - r.position())
                    + " bytes before its declared length");
        }
        return b.build();
    }

    /** Decodes the index of a whole file held in memory. */
    public static LtxPageIndex decodeIndex(byte[] file, String source) throws LtxFormatException {
        return decodeIndex(file, 0, file.length, source);
    }
}
