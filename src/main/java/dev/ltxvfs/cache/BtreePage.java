package dev.ltxvfs.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of SQLite's b-tree page format (sqlite.org/fileformat2.html, "B-tree Pages") for
 * {@link HotSet}: the child pages of an interior page, and the root pages named in a leaf of
 * {@code sqlite_schema}. Input is untrusted: anything malformed yields no pages, never an exception.
 */
final class BtreePage {
    private static final int INTERIOR_INDEX = 2;
    private static final int INTERIOR_TABLE = 5;
    private static final int LEAF_TABLE = 13;

    private BtreePage() {}

    /** Where the b-tree page header starts: after the 100-byte database header on page 1. */
    private static int header(int pgno) {
        return pgno == 1 ? 100 : 0;
    }

    static boolean interior(byte[] page, int pgno) {
        int h = header(pgno);
        return h < page.length && (page[h] == INTERIOR_INDEX || page[h] == INTERIOR_TABLE);
    }

    /** The children of an interior page (left pointers of its cells, then the right-most), within {@code 1..maxPgno}; none for a leaf. */
    static List<Integer> children(byte[] page, int pgno, int maxPgno) {
        List<Integer> out = new ArrayList<>();
        if (!interior(page, pgno)) {
            return out;
        }
        int h = header(pgno);
        int cells = u16(page, h + 3);
        for (int i = 0; i < cells && h + 12 + 2 * i + 2 <= page.length; i++) {
            int cell = u16(page, h + 12 + 2 * i);
            if (cell + 4 <= page.length) {
                addChild(out, u32(page, cell), maxPgno);
            }
        }
        addChild(out, u32(page, h + 8), maxPgno);
        return out;
    }

    private static void addChild(List<Integer> out, long child, int maxPgno) {
        if (child >= 1 && child <= maxPgno) {
            out.add((int) child);
        }
    }

    /**
     * The root pages of the tables and indexes a leaf page of {@code sqlite_schema} lists (its rows
     * are type, name, tbl_name, rootpage, sql); views and triggers have none. Rows whose rootpage
     * lies past the cell's local payload (names of kilobytes) are skipped.
     *
     * @param usable page size less the reserved bytes per page
     */
    static List<Integer> schemaRoots(byte[] page, int pgno, int usable, int maxPgno) {
        List<Integer> out = new ArrayList<>();
        int h = header(pgno);
        if (h >= page.length || page[h] != LEAF_TABLE) {
            return out;
        }
        int cells = u16(page, h + 3);
        for (int i = 0; i < cells && h + 8 + 2 * i + 2 <= page.length; i++) {
            try {
                long root = rootOfRow(page, u16(page, h + 8 + 2 * i), usable);
                addChild(out, root, maxPgno);
            } catch (IndexOutOfBoundsException malformed) {
                // a cell pointing outside the page: not a row we can read
            }
        }
        return out;
    }

    /** Column 3 (rootpage) of the schema row in the table-leaf cell at {@code cell}, or 0. */
    private static long rootOfRow(byte[] p, int cell, int usable) {
        long[] v = new long[1];
        int at = cell + varint(p, cell, v);
        long payload = v[0];
        at += varint(p, at, v); // rowid
        int local = localPayload(payload, usable);
        int end = Math.min(at + local, p.length);
        int headerStart = at;
        int n = varint(p, at, v);
        long headerSize = v[0];
        int body = (int) (headerStart + headerSize);
        at += n;
        long offset = body;
        for (int col = 0; col < 4; col++) {
            if (at >= headerStart + headerSize) {
                return 0;
            }
            at += varint(p, at, v);
            long type = v[0];
            if (col < 3) {
                offset += serialSize(type);
                continue;
            }
            int size = (int) serialSize(type);
            if (type == 8 || type == 9) {
                return type - 8;
            }
            if (type < 1 || type > 6 || offset + size > end) {
                return 0;
            }
            long root = 0;
            for (int k = 0; k < size; k++) {
                root = (root << 8) | (p[(int) offset + k] & 0xff);
            }
            return root;
        }
        return 0;
    }

    /** Bytes of a table-leaf cell's payload stored on the page itself (the rest overflows). */
    private static int localPayload(long payload, int usable) {
        int maxLocal = usable - 35;
        if (payload <= maxLocal) {
            return (int) payload;
        }
        int minLocal = (usable - 12) * 32 / 255 - 23;
        long k = minLocal + (payload - minLocal) % (usable - 4);
        return (int) (k <= maxLocal ? k : minLocal);
    }

    private static long serialSize(long type) {
        if (type >= 12) {
            return (type - (type % 2 == 0 ? 12 : 13)) / 2;
        }
        return switch ((int) type) {
            case 1 -> 1;
            case 2 -> 2;
            case 3 -> 3;
            case 4 -> 4;
            case 5 -> 6;
            case 6, 7 -> 8;
            default -> 0;
        };
    }

    /** SQLite's big-endian varint at {@code at} into {@code out[0]}; returns its length (1-9). */
    private static int varint(byte[] p, int at, long[] out) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            int b = p[at + i] & 0xff;
            v = (v << 7) | (b & 0x7f);
            if ((b & 0x80) == 0) {
                out[0] = v;
                return i + 1;
            }
        }
        out[0] = (v << 8) | (p[at + 8] & 0xff);
        return 9;
    }

    private static int u16(byte[] p, int at) {
        return at + 2 <= p.length ? ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff) : 0;
    }

    private static long u32(byte[] p, int at) {
        return at + 4 <= p.length ? ((long) u16(p, at) << 16) | u16(p, at + 2) : 0;
    }
}
