package dev.ltxvfs.ltx;

import java.util.Objects;

/**
 * The 100-byte LTX header (spec 1.1): magic {@code LTX1}, then big-endian flags, page size, commit,
 * min/max TXID, timestamp (Unix ms), pre-apply checksum, WAL offset/size/salts, node id, and 20
 * reserved bytes. TXIDs and the checksum are u64 on the wire; they are carried in {@code long}s
 * and compared unsigned. {@code commit} is a u32 on the wire; values above 2^31-1 (a database of
 * at least 1 TiB) are rejected as unsupported.
 */
public record LtxHeader(
        int flags,
        int pageSize,
        int commit,
        long minTxid,
        long maxTxid,
        long timestamp,
        long preApplyChecksum,
        long walOffset,
        long walSize,
        int walSalt1,
        int walSalt2,
        long nodeId) {

    public static final int SIZE = 100;
    /** The only defined flag: no database checksums are tracked (what Litestream always writes). */
    public static final int FLAG_NO_CHECKSUM = 0x2;
    public static final int MIN_PAGE_SIZE = 512;
    public static final int MAX_PAGE_SIZE = 65536;

    private static final int MAGIC = 0x4C545831; // "LTX1"

    /** A NoChecksum header with zero WAL fields and node id: what our writers produce. */
    public static LtxHeader of(int pageSize, int commit, long minTxid, long maxTxid, long timestampMillis) {
        return new LtxHeader(FLAG_NO_CHECKSUM, pageSize, commit, minTxid, maxTxid, timestampMillis,
                0, 0, 0, 0, 0, 0);
    }

    /** A snapshot (MinTXID 1) must hold every page from 1 to commit except the lock page. */
    public boolean isSnapshot() {
        return minTxid == 1;
    }

    public boolean noChecksum() {
        return (flags & FLAG_NO_CHECKSUM) != 0;
    }

    /** Page number of SQLite's lock page (the one holding byte 2^30); it never appears in LTX. */
    public static int lockPage(int pageSize) {
        return 0x40000000 / pageSize + 1;
    }

    public int lockPage() {
        return lockPage(pageSize);
    }

    public static boolean isValidPageSize(int pageSize) {
        return pageSize >= MIN_PAGE_SIZE && pageSize <= MAX_PAGE_SIZE && Integer.bitCount(pageSize) == 1;
    }

    /** Decodes and fully validates {@code b[off..off+100)}. */
    public static LtxHeader decode(byte[] b, int off, String source) throws LtxFormatException {
        Objects.requireNonNull(b);
        if (off < 0 || b.length - off < SIZE) {
            throw new LtxFormatException(source, "header needs " + SIZE + " bytes, have "
                    + Math.max(0, b.length - Math.max(off, 0)));
        }
        if (Bytes.i32(b, off) != MAGIC) {
            throw new LtxFormatException(source, String.format("bad magic %08x, expected LTX1", Bytes.i32(b, off)));
        }
        long commit = Bytes.u32(b, off + 12);
        if (commit > Integer.MAX_VALUE) {
            throw new LtxFormatException(source, "commit " + commit + " too large (unsupported above 2^31-1)");
        }
        LtxHeader h = new LtxHeader(
                Bytes.i32(b, off + 4),
                Bytes.i32(b, off + 8),
                (int) commit,
                Bytes.i64(b, off + 16),
                Bytes.i64(b, off + 24),
                Bytes.i64(b, off + 32),
                Bytes.i64(b, off + 40),
                Bytes.i64(b, off + 48),
                Bytes.i64(b, off + 56),
                Bytes.i32(b, off + 64),
                Bytes.i32(b, off + 68),
                Bytes.i64(b, off + 72));
        h.validate(source);
        return h;
    }

    /** Checks the rules of spec 1.1 (the same ones Go's {@code Header.Validate} applies). */
    public LtxHeader validate(String source) throws LtxFormatException {
        if ((flags & ~FLAG_NO_CHECKSUM) != 0) {
            throw new LtxFormatException(source, String.format("invalid header flags 0x%08x", flags));
        }
        if (!isValidPageSize(pageSize)) {
            throw new LtxFormatException(source, "invalid page size " + Integer.toUnsignedString(pageSize));
        }
        if (commit < 0) {
            throw new LtxFormatException(source, "commit " + Integer.toUnsignedString(commit) + " unsupported");
        }
        if (minTxid == 0 || maxTxid == 0) {
            throw new LtxFormatException(source, "min and max TXID must be non-zero");
        }
        if (Long.compareUnsigned(minTxid, maxTxid) > 0) {
            throw new LtxFormatException(source, "TXIDs out of order: min " + Long.toUnsignedString(minTxid)
                    + " > max " + Long.toUnsignedString(maxTxid));
        }
        if (walOffset < 0 || walSize < 0) {
            throw new LtxFormatException(source, "negative WAL offset or size");
        }
        if (walOffset == 0 && (walSize != 0 || walSalt1 != 0 || walSalt2 != 0)) {
            throw new LtxFormatException(source, "WAL size or salt set without a WAL offset");
        }
        if (isSnapshot() || noChecksum()) {
            if (preApplyChecksum != 0) {
                throw new LtxFormatException(source, "pre-apply checksum must be zero on a "
                        + (isSnapshot() ? "snapshot" : "NoChecksum file"));
            }
        } else if ((preApplyChecksum & Crc64Iso.CHECKSUM_FLAG) == 0) {
            throw new LtxFormatException(source, "pre-apply checksum missing or lacks bit 63");
        }
        return this;
    }

    /** The 100 header bytes (reserved bytes zero). */
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        encodeTo(b, 0);
        return b;
    }

    public void encodeTo(byte[] b, int off) {
        Objects.checkFromIndexSize(off, SIZE, b.length);
        Bytes.put32(b, off, MAGIC);
        Bytes.put32(b, off + 4, flags);
        Bytes.put32(b, off + 8, pageSize);
        Bytes.put32(b, off + 12, commit);
        Bytes.put64(b, off + 16, minTxid);
        Bytes.put64(b, off + 24, maxTxid);
        Bytes.put64(b, off + 32, timestamp);
        Bytes.put64(b, off + 40, preApplyChecksum);
        Bytes.put64(b, off + 48, walOffset);
        Bytes.put64(b, off + 56, walSize);
        Bytes.put32(b, off + 64, walSalt1);
        Bytes.put32(b, off + 68, walSalt2);
        Bytes.put64(b, off + 72, nodeId);
        java.util.Arrays.fill(b, off + 80, off + SIZE, (byte) 0);
    }
}
