package dev.ltxvfs.ltx;

/**
 * Database checksums (spec 1.6), only needed for files written without NoChecksum: a page's
 * checksum is {@code FLAG | crc64(u32 pgno || data)}; a database's is the XOR of its pages'.
 */
public final class LtxChecksums {

    private LtxChecksums() {}

    public static long page(int pgno, byte[] data, int off, int pageSize) {
        byte[] p = new byte[4];
        Bytes.put32(p, 0, pgno);
        return Crc64Iso.CHECKSUM_FLAG | new Crc64Iso().update(p, 0, 4).update(data, off, pageSize).value();
    }
}
