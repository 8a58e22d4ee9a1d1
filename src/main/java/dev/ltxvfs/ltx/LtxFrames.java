package dev.ltxvfs.ltx;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Page frames (spec 1.2). A v3 frame is {@code pgno u32 | flags u16 = 1 | size u32 | LZ4 block};
 * a legacy frame is {@code pgno u32 | flags u16 = 0 | LZ4 frame}. Either way the payload must
 * decompress to exactly one page. The end of the page block is six zero bytes.
 */
public final class LtxFrames {

    /** pgno u32 + flags u16. */
    public static final int HEADER_SIZE = 6;
    /** Page header plus the u32 compressed-size prefix of a v3 frame. */
    public static final int V3_HEADER_SIZE = 10;
    /** Flag bit 0: a size prefix and an LZ4 block follow (every current writer sets it). */
    public static final int FLAG_SIZE = 0x1;
    /**
     * No valid frame is this long: a 64 KiB page's LZ4 bound is about 66 KiB, plus a few bytes of
     * frame overhead. Used to refuse absurd sizes before allocating or fetching anything.
     */
    public static final int MAX_FRAME_SIZE = 1 << 18;
    /** The shortest frame: a v3 header and a one-byte block. */
    public static final int MIN_FRAME_SIZE = V3_HEADER_SIZE + 1;

    private static final AtomicBoolean LOADING = new AtomicBoolean();

    private LtxFrames() {}

    /**
     * The LZ4 decompressor, made on first use: loading lz4-java's native library takes 40-55 ms
     * (165 ms measured on a busy 2-core machine), which the first page read of a process would wait for.
     */
    private static final class Lz4 {
        // Thread-safe and stateless; one instance serves every caller.
        static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    }

    /**
     * Makes the decompressor on a background thread, once per process: call it when a database
     * starts opening, so that it is ready by the first page read.
     */
    public static void loadInBackground() {
        if (LOADING.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("ltxvfs-lz4-load").start(() -> {
                try {
                    Objects.requireNonNull(Lz4.DECOMPRESSOR);
                } catch (RuntimeException | LinkageError e) {
                    // the first page read meets it again and reports it
                }
            });
        }
    }

    /** Largest LZ4 block a page of this size can compress to (LZ4_compressBound). */
    public static int maxCompressedSize(int pageSize) {
        return pageSize + pageSize / 255 + 16;
    }

    /**
     * Decodes one frame, {@code buf[off..off+len)} as the page index located it, into
     * {@code dst[dstOff..dstOff+pageSize)}.
     *
     * @throws LtxFormatException if the frame is not page {@code expectedPgno}, has unknown flags,
     *     is truncated, or its payload does not decompress to exactly {@code pageSize} bytes
     */
    public static void decodePage(byte[] buf, int off, int len, int expectedPgno, int pageSize,
                                  byte[] dst, int dstOff, String source) throws LtxFormatException {
        Objects.checkFromIndexSize(off, len, buf.length);
        checkPageArgs(expectedPgno, pageSize, dst, dstOff);
        if (len < HEADER_SIZE) {
            throw new LtxFormatException(source, "frame of " + len + " bytes is shorter than a page header");
        }
        int pgno = Bytes.i32(buf, off);
        int flags = Bytes.u16(buf, off + 4);
        if (pgno != expectedPgno) {
            throw new LtxFormatException(source, "frame holds page " + Integer.toUnsignedString(pgno)
                    + ", expected page " + expectedPgno);
        }
        checkFlags(flags, pgno, source);
        if (flags == FLAG_SIZE) {
            if (len < V3_HEADER_SIZE) {
                throw new LtxFormatException(source, "frame of page " + pgno + " truncated before its size");
            }
            int csize = checkCompressedSize(Bytes.i32(buf, off + HEADER_SIZE), pageSize, pgno, source);
            if (csize > len - V3_HEADER_SIZE) {
                throw new LtxFormatException(source, "frame of page " + pgno + " declares " + csize
                        + " compressed bytes but has only " + (len - V3_HEADER_SIZE));
            }
            decompressPage(buf, off + V3_HEADER_SIZE, csize, dst, dstOff, pageSize, pgno, source);
        } else {
            try {
                LegacyLz4Frame.decode(new ByteInput.OfArray(buf, off + HEADER_SIZE, len - HEADER_SIZE, source),
                        dst, dstOff, pageSize, source);
            } catch (LtxFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new AssertionError(e); // array input only throws LtxFormatException
            }
        }
    }

    static void checkPageArgs(int expectedPgno, int pageSize, byte[] dst, int dstOff) {
        if (expectedPgno <= 0) {
            throw new IllegalArgumentException("pgno must be positive: " + expectedPgno);
        }
        if (!LtxHeader.isValidPageSize(pageSize)) {
            throw new IllegalArgumentException("invalid page size " + pageSize);
        }
        Objects.checkFromIndexSize(dstOff, pageSize, dst.length);
    }

    static void checkFlags(int flags, int pgno, String source) throws LtxFormatException {
        if ((flags & ~FLAG_SIZE) != 0) {
            throw new LtxFormatException(source, String.format("invalid page header flags 0x%04x on page %s",
                    flags, Integer.toUnsignedString(pgno)));
        }
    }

    /** Validates a v3 size prefix against what a page of this size can need. */
    static int checkCompressedSize(int csize, int pageSize, int pgno, String source) throws LtxFormatException {
        if (csize <= 0 || csize > maxCompressedSize(pageSize)) {
            throw new LtxFormatException(source, "page " + Integer.toUnsignedString(pgno) + " has compressed size "
                    + Integer.toUnsignedString(csize) + ", outside 1.." + maxCompressedSize(pageSize));
        }
        return csize;
    }

    /** Decompresses one LZ4 block that must yield exactly one page. */
    static void decompressPage(byte[] src, int off, int len, byte[] dst, int dstOff, int pageSize,
                               int pgno, String source) throws LtxFormatException {
        int n = decompress(src, off, len, dst, dstOff, pageSize, source);
        if (n != pageSize) {
            throw new LtxFormatException(source, "page " + pgno + " decompresses to " + n
                    + " bytes, page size is " + pageSize);
        }
    }

    /** Decompresses one LZ4 block of at most {@code maxOut} bytes; returns its length. */
    static int decompress(byte[] src, int off, int len, byte[] dst, int dstOff, int maxOut, String source)
            throws LtxFormatException {
        try {
            return Lz4.DECOMPRESSOR.decompress(src, off, len, dst, dstOff, maxOut);
        } catch (LZ4Exception | IndexOutOfBoundsException e) {
            throw new LtxFormatException(source, "corrupt LZ4 block (" + len + " bytes): " + e.getMessage(), e);
        }
    }
}
