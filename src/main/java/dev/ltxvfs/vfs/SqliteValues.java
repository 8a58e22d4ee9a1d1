package dev.ltxvfs.vfs;

/**
 * The size of a value while it is still inside SQLite, so a caller can refuse a row before copying
 * it into the JVM. sqlite-jdbc has no such call; our door into SQLite's API table does.
 */
public final class SqliteValues {
    private SqliteValues() {}

    /**
     * sqlite3_column_bytes of column {@code col} of the current row of statement {@code stmt} (the
     * pointer sqlite-jdbc holds). Call it only for a TEXT or BLOB value: for a number SQLite would
     * convert the value to text first.
     */
    public static int bytes(long stmt, int col) {
        return SqliteApi.get().columnBytes(stmt, col);
    }
}
