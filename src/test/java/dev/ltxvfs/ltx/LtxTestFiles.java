package dev.ltxvfs.ltx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;

/** Builders of LTX files and page contents for the tests of this package. */
final class LtxTestFiles {

    private LtxTestFiles() {}

    /**
     * A page that compresses like a SQLite table leaf: a small header, free space of zeros, then
     * text rows with repeated structure. Deterministic in (pgno, seed).
     */
    static byte[] page(int pageSize, int pgno, long seed) {
        byte[] p = new byte[pageSize];
        fillPage(p, 0, pageSize, pgno, seed);
        return p;
    }

    static void fillPage(byte[] p, int off, int pageSize, int pgno, long seed) {
        Random r = new Random(seed * 1_000_003L + pgno);
        p[off] = 0x0D; // leaf table b-tree page
        int pos = off + pageSize;
        int row = pgno * 1000;
        while (true) {
            String s = "row " + row + "|user" + r.nextInt(5000) + "@example.com|"
                    + (r.nextBoolean() ? "active" : "inactive") + "|2025-0" + (1 + r.nextInt(9)) + "-1"
                    + r.nextInt(10) + "|" + r.nextInt(1_000_000);
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            if (pos - b.length < off + pageSize / 3) {
                break;
            }
            pos -= b.length;
            System.arraycopy(b, 0, p, pos, b.length);
            row++;
        }
    }

    /** An encoded file holding {@code pgnos} with {@link #page} contents. */
    static byte[] encode(LtxHeader h, int[] pgnos, long seed) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LtxEncoder enc = new LtxEncoder(out, h);
            for (int pgno : pgnos) {
                enc.writePage(pgno, page(h.pageSize(), pgno, seed), 0);
            }
            enc.finish();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Snapshot of pages 1..commit (skipping the lock page) at TXID 1..maxTxid. */
    static byte[] snapshot(int pageSize, int commit, long maxTxid, long seed) {
        return encode(LtxHeader.of(pageSize, commit, 1, maxTxid, 1_700_000_000_000L), snapshotPgnos(pageSize, commit), seed);
    }

    static int[] snapshotPgnos(int pageSize, int commit) {
        int lock = LtxHeader.lockPage(pageSize);
        return java.util.stream.IntStream.rangeClosed(1, commit).filter(p -> p != lock).toArray();
    }

    static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replaceAll("[\\s|…]", ""));
    }

    static String hex(byte[] b, int off, int len) {
        return java.util.HexFormat.of().formatHex(b, off, off + len);
    }

    /**
     * Writes files the encoder would refuse (wrong order, lock page, legacy frames, odd payloads)
     * with a correct index and checksum, so the decoder's own checks are what fails.
     */
    static final class Raw {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Crc64Iso crc = new Crc64Iso();
        private final List<long[]> index = new ArrayList<>();
        private final int pageSize;
        long postApply;

        Raw(LtxHeader h) {
            pageSize = h.pageSize();
            write(h.encode());
        }

        /** A v3 frame of {@code page}. */
        Raw v3(int pgno, byte[] page) {
            byte[] block = new byte[LtxFrames.maxCompressedSize(page.length)];
            int n = LZ4Factory.safeInstance().fastCompressor().compress(page, 0, page.length, block, 0, block.length);
            return frame(pgno, LtxFrames.FLAG_SIZE, java.util.Arrays.copyOf(block, n), page);
        }

        /** A legacy frame: flags 0 and an LZ4 frame stream, as ltx ≤ v0.5.1 wrote. */
        Raw legacy(int pgno, byte[] page, LZ4FrameOutputStream.FLG.Bits... bits) {
            return frame(pgno, 0, lz4Frame(page, bits), page);
        }

        /**
         * Any frame: pgno, flags, then {@code payload} (after a size prefix if flag 1). The
         * checksum covers {@code hashedPage} as the decoder would hash the decompressed page.
         */
        Raw frame(int pgno, int flags, byte[] payload, byte[] hashedPage) {
            long offset = out.size();
            byte[] h = new byte[(flags & 1) != 0 ? 10 : 6];
            Bytes.put32(h, 0, pgno);
            Bytes.put16(h, 4, flags);
            if (h.length == 10) {
                Bytes.put32(h, 6, payload.length);
            }
            write(h);
            crc.update(hashedPage, 0, hashedPage.length);
            out.writeBytes(payload);
            index.add(new long[] {pgno, offset, h.length + payload.length});
            return this;
        }

        /** Replaces entry {@code i} of the index that {@link #finish} will write. */
        Raw indexEntry(int i, long pgno, long offset, long size) {
            index.set(i, new long[] {pgno, offset, size});
            return this;
        }

        Raw dropIndexEntry(int i) {
            index.remove(i);
            return this;
        }

        byte[] finish() {
            write(new byte[6]);
            byte[] v = new byte[index.size() * 30 + 1];
            int n = 0;
            for (long[] e : index) {
                n += Uvarint.write(e[0], v, n);
                n += Uvarint.write(e[1], v, n);
                n += Uvarint.write(e[2], v, n);
            }
            v[n++] = 0;
            write(java.util.Arrays.copyOf(v, n));
            byte[] tail = new byte[16];
            Bytes.put64(tail, 0, n);
            Bytes.put64(tail, 8, postApply);
            write(tail);
            byte[] sum = new byte[8];
            Bytes.put64(sum, 0, Crc64Iso.CHECKSUM_FLAG | crc.value());
            out.writeBytes(sum);
            return out.toByteArray();
        }

        private void write(byte[] b) {
            crc.update(b, 0, b.length);
            out.writeBytes(b);
        }

        int pageSize() {
            return pageSize;
        }
    }

    static byte[] lz4Frame(byte[] page, LZ4FrameOutputStream.FLG.Bits... bits) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            LZ4FrameOutputStream.FLG.Bits[] all = java.util.Arrays.copyOf(bits, bits.length + 1);
            all[bits.length] = LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE;
            try (LZ4FrameOutputStream z = new LZ4FrameOutputStream(b, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, page.length, all)) {
                z.write(page);
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Recomputes the trailer's file checksum of a (mutated) whole file in place. */
    static void fixChecksum(byte[] file) {
        if (file.length >= 8) {
            Bytes.put64(file, file.length - 8, Crc64Iso.CHECKSUM_FLAG | Crc64Iso.of(file, 0, file.length - 8));
        }
    }
}
