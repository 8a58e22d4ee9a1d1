package dev.ltxvfs.vfs;

/**
 * Page 1 as the VFS serves it: the database header rewritten so that
 * bytes 18/19 = 1 (rollback journal): SQLite never looks for a WAL;
 * change counter (24..27) = version-valid-for (92..95) = TXID: SQLite keeps its page cache
 * until the data really changes, and trusts the in-header size (28..31) = page count.
 */
final class PageOne {
    private PageOne() {}

    /** A patched copy of {@code raw}, page 1 of a state at {@code txid} of {@code pages} LTX pages of {@code pageSize}. */
    static byte[] served(byte[] raw, long txid, long pages, int pageSize) {
        byte[] p = raw.clone();
        if (p.length < 100) {
            return p;
        }
        p[18] = 1;
        p[19] = 1;
        putInt(p, 24, (int) txid);
        putInt(p, 92, (int) txid);
        putInt(p, 28, (int) inHeaderPages(raw, pages, pageSize));
        return p;
    }

    /**
     * The database size in SQLite pages. Usually the LTX commit, but the Litestream VFS in write
     * mode ships 4 KiB LTX pages whatever SQLite's page size: then the commit counts 4 KiB units,
     * the image may end in a partial unit of zeros, and SQLite's own count on page 1 is the truth
     * (when it fits in the image).
     */
    static long inHeaderPages(byte[] page1, long pages, int pageSize) {
        int raw = ((page1[16] & 0xff) << 8) | (page1[17] & 0xff);
        int sqlitePageSize = raw == 1 ? 65536 : raw;
        if (sqlitePageSize == pageSize || sqlitePageSize < 512 || Integer.bitCount(sqlitePageSize) != 1) {
            return pages;
        }
        long fits = pages * pageSize / sqlitePageSize;
        long own = ((page1[28] & 0xffL) << 24) | ((page1[29] & 0xff) << 16) | ((page1[30] & 0xff) << 8) | (page1[31] & 0xff);
        return own > 0 && own <= fits ? own : fits;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
