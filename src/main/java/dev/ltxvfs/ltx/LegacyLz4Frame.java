package dev.ltxvfs.ltx;

import java.io.IOException;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decodes the payload of a legacy page frame (flag bit 0 clear, written by ltx ≤ v0.5.1): one LZ4
 * <em>frame</em> with no length prefix. We parse the frame format ourselves rather than use
 * {@code LZ4FrameInputStream} because the stream decoder must stop exactly at the frame's last
 * byte (the next page header follows) and must bound every buffer by the page size, whatever the
 * frame descriptor claims.
 *
 * <p>Layout: magic 04 22 4D 18, FLG, BD, [content size u64 LE], [dict id u32 LE], header checksum;
 * then blocks of (u32 LE size, high bit = stored raw; data; [block checksum]) until a zero size;
 * then [content checksum]. Checksums are xxHash32 with seed 0 and are verified.
 */
final class LegacyLz4Frame {

    private static final int MAGIC = 0x184D2204;
    private static final XXHash32 XXH = XXHashFactory.fastestInstance().hash32();

    private LegacyLz4Frame() {}

    /** Decodes one LZ4 frame from {@code in} into exactly {@code pageSize} bytes at {@code dst[dstOff]}. */
    static void decode(ByteInput in, byte[] dst, int dstOff, int pageSize, String source) throws IOException {
        byte[] hdr = new byte[4 + 2 + 8 + 4 + 1];
        in.readFully(hdr, 0, 6);
        if (le32(hdr, 0) != MAGIC) {
            throw new LtxFormatException(source, String.format("legacy frame: bad LZ4 frame magic %08x", le32(hdr, 0)));
        }
        int flg = hdr[4] & 0xFF, bd = hdr[5] & 0xFF;
        if ((flg >>> 6) != 1 || (flg & 0x02) != 0 || (bd & 0x8F) != 0 || ((bd >>> 4) & 7) < 4) {
            throw new LtxFormatException(source, String.format("legacy frame: bad LZ4 descriptor FLG=%02x BD=%02x", flg, bd));
        }
        boolean independent = (flg & 0x20) != 0;
        boolean blockChecksum = (flg & 0x10) != 0;
        boolean contentSize = (flg & 0x08) != 0;
        boolean contentChecksum = (flg & 0x04) != 0;
        boolean dictId = (flg & 0x01) != 0;
        int n = 6 + (contentSize ? 8 : 0) + (dictId ? 4 : 0);
        in.readFully(hdr, 6, n - 6 + 1);
        if (((XXH.hash(hdr, 4, n - 4, 0) >>> 8) & 0xFF) != (hdr[n] & 0xFF)) {
            throw new LtxFormatException(source, "legacy frame: LZ4 header checksum mismatch");
        }
        if (contentSize && (le32(hdr, 6) != pageSize || le32(hdr, 10) != 0)) {
            throw new LtxFormatException(source, "legacy frame: content size is not the page size " + pageSize);
        }
        if (dictId) {
            throw new LtxFormatException(source, "legacy frame: LZ4 dictionaries are not supported");
        }

        // A block that decodes to at most the page size cannot be longer than the LZ4 bound of it.
        byte[] block = new byte[LtxFrames.maxCompressedSize(pageSize)];
        byte[] word = new byte[4];
        int produced = 0;
        while (true) {
            in.readFully(word, 0, 4);
            int raw = le32(word, 0);
            if (raw == 0) {
                break;
            }
            boolean stored = raw < 0;
            int len = raw & 0x7FFFFFFF;
            if (len > block.length || (stored && len > pageSize - produced)) {
                throw new LtxFormatException(source, "legacy frame: LZ4 block of " + len + " bytes exceeds the page");
            }
            in.readFully(block, 0, len);
            if (blockChecksum) {
                in.readFully(word, 0, 4);
                if (XXH.hash(block, 0, len, 0) != le32(word, 0)) {
                    throw new LtxFormatException(source, "legacy frame: LZ4 block checksum mismatch");
                }
            }
            if (produced > 0 && !independent) {
                // Linked blocks may copy from earlier blocks; the writers we know use one block a page.
                throw new LtxFormatException(source, "legacy frame: linked LZ4 blocks are not supported");
            }
            if (stored) {
                System.arraycopy(block, 0, dst, dstOff + produced, len);
                produced += len;
            } else {
                produced += LtxFrames.decompress(block, 0, len, dst, dstOff + produced, pageSize - produced, source);
            }
        }
        if (produced != pageSize) {
            throw new LtxFormatException(source, "legacy frame decodes to " + produced + " bytes, page size is " + pageSize);
        }
        if (contentChecksum) {
            in.readFully(word, 0, 4);
            if (XXH.hash(dst, dstOff, pageSize, 0) != le32(word, 0)) {
                throw new LtxFormatException(source, "legacy frame: LZ4 content checksum mismatch");
            }
        }
    }

    private static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
