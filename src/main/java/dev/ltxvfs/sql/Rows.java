package dev.ltxvfs.sql;

import dev.ltxvfs.vfs.SqliteValues;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.core.Codes;
import org.sqlite.core.CoreStatement;

/**
 * A running statement of a {@link Session}: its columns and its rows, fetched in batches on the
 * session's worker calls. Nothing larger than {@code ltxvfs.query.max-bytes} is copied into the JVM:
 * SQLite refuses to make a bigger value (SQLITE_LIMIT_LENGTH), and each row is measured inside
 * SQLite (sqlite3_column_bytes) before it is copied.
 */
public final class Rows implements AutoCloseable {
    private final Session session;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final Columns columns;
    private boolean done;

    /** Runs {@code statement}; null for a statement SQLite never sees (BEGIN, COMMIT in a stream). */
    Rows(Session session, PreparedStatement statement, Columns columns) throws SQLException {
        this.session = session;
        this.statement = statement;
        this.columns = columns;
        this.rows = statement != null && statement.execute() ? statement.getResultSet() : null;
        this.done = rows == null;
    }

    public List<String> columns() {
        return columns.names();
    }

    /** Declared types, null for expressions. */
    public List<String> declTypes() {
        return columns.declTypes();
    }

    /** Up to {@code max} more rows; an empty list means the end. */
    public List<Object[]> fetch(int max) {
        List<Object[]> out = new ArrayList<>(Math.min(max, 1024));
        if (done) {
            return out;
        }
        session.checkNotExpired();
        long limit = session.runner().maxBytes();
        try {
            int n = columns.names().size();
            while (out.size() < max) {
                if (!rows.next()) {
                    done = true;
                    break;
                }
                if (rowSize(n) > limit) {
                    throw session.runner().tooBig("a row of the answer is larger than", null);
                }
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = rows.getObject(i + 1);
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw session.failure(e);
        }
    }

    /** The current row's size as JSON, measured inside SQLite before anything is copied. */
    private long rowSize(int n) throws SQLException {
        return ((CoreStatement) statement).pointer.safeRunLong((db, p) -> {
            long size = n;
            for (int i = 0; i < n; i++) {
                int type = db.column_type(p, i);
                boolean sized = type == Codes.SQLITE_TEXT || type == Codes.SQLITE_BLOB;
                size += JsonSize.of(type, sized ? SqliteValues.bytes(p, i) : 0);
            }
            return size;
        });
    }

    /**
     * Every row (kept only when {@code keep}), for answers that cannot be cut short (libSQL): past
     * ltxvfs.query.max-rows or max-bytes it fails instead.
     */
    public List<Object[]> all(boolean keep) {
        QueryRunner runner = session.runner();
        List<Object[]> out = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        for (List<Object[]> batch = fetch(256); !batch.isEmpty(); batch = fetch(256)) {
            for (Object[] row : batch) {
                if (++count > runner.maxRows()) {
                    throw new QueryException(QueryException.Kind.BAD_REQUEST, "the answer has more than " + runner.maxRows()
                            + " rows (ltxvfs.query.max-rows); page through it with LIMIT and OFFSET");
                }
                bytes += JsonSize.of(row);
                if (bytes > runner.maxBytes()) {
                    throw runner.tooBig("the answer is larger than", null);
                }
                if (keep) {
                    out.add(row);
                }
            }
        }
        return out;
    }

    public boolean exhausted() {
        return done;
    }

    @Override
    public void close() {
        session.closed(this);
        try {
            if (rows != null) {
                rows.close();
            }
            if (statement != null) {
                statement.close();
            }
        } catch (SQLException ignored) {
            // the session's connection goes back to its pool (or is discarded) on its own close
        }
    }
}
