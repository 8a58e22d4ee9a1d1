package dev.ltxvfs.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteLimits;
import org.sqlite.SQLiteOpenMode;

/**
 * Idle sqlite-jdbc connections to one database on the litestream VFS. Connections are cheap to
 * keep: the index and page cache they read through are shared per database and per process.
 * Each worker holds at most one connection, so the pool never grows past the worker count.
 */
final class ConnectionPool implements AutoCloseable {
    private final String url;
    private final SQLiteConfig config;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    ConnectionPool(String database) {
        this.url = "jdbc:sqlite:file:" + database + "?vfs=litestream";
        config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        config.enableLoadExtension(false);
    }

    Connection borrow() throws SQLException {
        Connection c = idle.pollFirst();
        if (c != null) {
            return c;
        }
        SQLiteConnection fresh = (SQLiteConnection) config.createConnection(url);
        // ATTACH could reach local files: allow none. query_only also refuses temp tables and
        // BEGIN IMMEDIATE, which a read-only main database alone would still allow.
        fresh.setLimit(SQLiteLimits.SQLITE_LIMIT_ATTACHED, 0);
        try (Statement s = fresh.createStatement()) {
            s.execute("PRAGMA query_only = 1");
            // Sorts and temp b-trees spill past cache_size (2 MB) into files of the VFS, which count
            // them against the query's temp budget; in memory they would be bounded by nothing.
            s.execute("PRAGMA temp_store = FILE");
        }
        return fresh;
    }

    /** Connections waiting to be borrowed. */
    int idle() {
        return idle.size();
    }

    /** Returns a connection in its initial state (live view, no open transaction). */
    void giveBack(Connection c) {
        try (Statement s = c.createStatement()) {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            s.execute("PRAGMA litestream_time = 'latest'");
            idle.addFirst(c);
            if (closed) {
                close(); // the database closed while c was out
            }
        } catch (SQLException | RuntimeException e) {
            discard(c);
        }
    }

    void discard(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken; nothing more to release
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            discard(c);
        }
    }
}
