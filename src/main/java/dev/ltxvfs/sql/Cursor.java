package dev.ltxvfs.sql;

import dev.ltxvfs.vfs.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * An open query: one read transaction on one borrowed connection, so every batch comes from the
 * same snapshot. Each call runs on a worker thread (SQLite may block in xRead); calls are
 * sequential, never concurrent. {@link #close()} returns the connection and the lease on the
 * database, which stays open meanwhile.
 */
public final class Cursor implements AutoCloseable {
    private final QueryRunner runner;
    private final Lease lease;
    private final ConnectionPool pool;
    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final ScheduledFuture<?> deadline;
    private final List<String> columns = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final String txid;
    private final String time;
    private final long started;
    private boolean done;
    private boolean closed;

    Cursor(QueryRunner runner, Lease lease, ConnectionPool pool, Connection connection, PreparedStatement statement,
            ScheduledFuture<?> deadline, long started) throws SQLException {
        this.runner = runner;
        this.lease = lease;
        this.pool = pool;
        this.connection = connection;
        this.statement = statement;
        this.deadline = deadline;
        this.started = started;
        boolean hasRows = statement.execute();
        this.rows = hasRows ? statement.getResultSet() : null;
        if (rows != null) {
            ResultSetMetaData md = rows.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
                String t = md.getColumnTypeName(i);
                types.add(t == null ? "" : t);
            }
        } else {
            done = true;
        }
        // Still inside the read transaction: these describe the snapshot the rows come from.
        try (Statement s = connection.createStatement()) {
            txid = pragma(s, "PRAGMA litestream_txid");
            time = pragma(s, "PRAGMA litestream_time");
        }
    }

    private static String pragma(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    public List<String> columns() {
        return columns;
    }

    public List<String> types() {
        return types;
    }

    public String txid() {
        return txid;
    }

    public String time() {
        return time;
    }

    public long elapsedMs() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Up to {@code max} more rows; an empty list means the end. */
    public List<Object[]> fetch(int max) {
        List<Object[]> out = new ArrayList<>(Math.min(max, 1024));
        if (done) {
            return out;
        }
        try {
            int n = columns.size();
            while (out.size() < max) {
                if (!rows.next()) {
                    done = true;
                    break;
                }
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rows.getObject(i + 1);
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw runner.classify(e);
        }
    }

    public boolean exhausted() {
        return done;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        deadline.cancel(false);
        try {
            if (rows != null) {
                rows.close();
            }
            statement.close();
            pool.giveBack(connection);
        } catch (SQLException | RuntimeException e) {
            pool.discard(connection);
        } finally {
            lease.close();
        }
    }
}
