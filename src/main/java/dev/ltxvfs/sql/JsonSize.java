package dev.ltxvfs.sql;

import org.sqlite.core.Codes;

/** About what a value takes in a JSON answer: the one measure of answer size. */
final class JsonSize {
    private JsonSize() {}

    static long of(Object[] row) {
        long n = row.length;
        for (Object v : row) {
            n += of(v);
        }
        return n;
    }

    /** The same measure for a value still inside SQLite, from its type and size there. */
    static long of(int sqliteType, int bytes) {
        return switch (sqliteType) {
            case Codes.SQLITE_NULL -> 4;
            case Codes.SQLITE_TEXT -> bytes + 2L;
            case Codes.SQLITE_BLOB -> (bytes + 2L) / 3 * 4 + 2;
            default -> 20;
        };
    }

    static long of(Object v) {
        return switch (v) {
            case null -> 4;
            case String s -> s.length() + 2L;
            case byte[] b -> (b.length + 2L) / 3 * 4 + 2;
            default -> 20;
        };
    }

    /** {@code 16777216} as {@code 16 MiB}, for messages that name a limit. */
    static String text(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
