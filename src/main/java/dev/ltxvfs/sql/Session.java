package dev.ltxvfs.sql;

import dev.ltxvfs.vfs.Lease;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.TempBudget;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.sqlite.SQLiteConnection;

/**
 * The one way SQL runs: a borrowed connection of one database, used by one caller at a time (a
 * REST query, an NDJSON stream, or a libSQL stream across many HTTP requests). Every call into
 * SQLite runs on a worker ({@link #run}) under one deadline, the query timeout, at which the
 * connection is interrupted, and under one {@link TempBudget}, {@code ltxvfs.query.max-temp-bytes} of
 * temporary files (a sort past it fails with SQLITE_FULL, answered 422).
 *
 * <p>Snapshots are pinned by TXID ({@code PRAGMA litestream_txid = ...}), not by holding a SQLite
 * read transaction open: a pin survives an interrupted statement and idle time between requests,
 * and another instance can reopen exactly the same state from the TXID alone.
 *
 * <p>In a libSQL stream ({@link #interactive}), {@code BEGIN} (also {@code DEFERRED} and libSQL's
 * {@code BEGIN TRANSACTION READONLY}) starts a read transaction whose snapshot is pinned at its first
 * statement and let go at {@code COMMIT}/{@code END}/{@code ROLLBACK}; outside one each statement
 * reads the newest state. {@code BEGIN IMMEDIATE/EXCLUSIVE}, which take a write lock, are refused.
 */
public final class Session implements AutoCloseable {
    private final QueryRunner runner;
    private final Lease lease;
    private final ConnectionPool pool;
    private final Connection connection;
    private final boolean interactive;
    private final boolean historical;
    /** The temporary files (sorts, temp b-trees) this session's statements may hold at once. */
    private final TempBudget temp;
    private volatile boolean expired;
    private boolean inTransaction;
    /** The TXID (16 hex digits) this session reads, while pinned; null reads the newest state. */
    private String pinned;
    private boolean closed;
    /** Statements started and not yet closed: closed with the session, before the connection goes back. */
    private final java.util.Set<Rows> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Session(QueryRunner runner, Lease lease, ConnectionPool pool, Connection connection, boolean interactive,
            boolean historical) {
        this.runner = runner;
        this.lease = lease;
        this.pool = pool;
        this.connection = connection;
        this.interactive = interactive;
        this.historical = historical;
        this.temp = new TempBudget(runner.maxTempBytes());
    }

    /**
     * Leases the database and borrows a connection (on the calling worker); both are held until
     * {@link #close}. {@code at} opens a point in time; else a REST session pins the newest state now
     * (its rows, TXID and time agree), and a libSQL stream pins {@code txid} when it continues a
     * transaction begun elsewhere ("" for one that has not read yet), or nothing.
     */
    static Session open(QueryRunner runner, String database, String at, boolean interactive, String txid) {
        LitestreamVfs.clearLastFailure();
        Lease lease = runner.acquire(database);
        ConnectionPool pool;
        Connection c;
        try {
            pool = QueryRunner.pool(lease);
            c = pool.borrow();
        } catch (SQLException | RuntimeException e) {
            lease.close();
            throw e instanceof SQLException se ? runner.classify(se) : (RuntimeException) e;
        }
        boolean historical = at != null && !at.isBlank();
        Session s = new Session(runner, lease, pool, c, interactive, historical);
        try {
            ((SQLiteConnection) c).setLimit(org.sqlite.SQLiteLimits.SQLITE_LIMIT_LENGTH, runner.valueLimit());
            if (historical) {
                s.set("litestream_time", at);
            } else if (txid != null) {
                if (!txid.isEmpty()) {
                    s.pin(txid);
                }
                s.inTransaction = true;
            } else if (!interactive) {
                s.pin(s.pragma("PRAGMA litestream_txid"));
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e instanceof SQLException se ? runner.classify(se) : (RuntimeException) e;
        }
    }

    QueryRunner runner() {
        return runner;
    }

    /** Runs {@code work} on a worker under the query timeout; calls are sequential, never concurrent. */
    public <T> CompletableFuture<T> run(Function<Session, T> work) {
        return runner.workers().submit(() -> timed(work));
    }

    <T> T timed(Function<Session, T> work) {
        expired = false;
        LitestreamVfs.clearLastFailure();
        ScheduledFuture<?> deadline = runner.workers().timer().schedule(this::interrupt, runner.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try (TempBudget.Scope charged = temp.charging()) {
            return work.apply(this);
        } finally {
            deadline.cancel(false);
        }
    }

    private void interrupt() {
        expired = true;
        try {
            ((SQLiteConnection) connection).getDatabase().interrupt();
        } catch (SQLException | RuntimeException ignored) {
            // closed meanwhile: nothing runs any more
        }
    }

    void checkNotExpired() {
        if (expired) {
            throw runner.timeoutException();
        }
    }

    /** An SQLite failure of this session's current call: a timeout once the deadline has passed. */
    QueryException failure(SQLException e) {
        return expired ? runner.timeoutException() : runner.classify(e);
    }

    /**
     * Starts one statement. {@code positional} binds {@code ?} in order; {@code named} binds by name
     * ({@code :a}, {@code @a}, {@code $a}, or a bare {@code a} trying those prefixes) and wins over a
     * positional value for the same slot. The caller fetches its rows and closes it.
     */
    public Rows execute(String sql, List<?> positional, Map<?, ?> named) {
        checkNotExpired();
        if (sql == null || sql.isBlank()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "the statement is empty");
        }
        if (interactive && transactionControl(sql)) {
            try {
                return new Rows(this, null, Columns.NONE);
            } catch (SQLException e) {
                throw failure(e); // never: nothing runs
            }
        }
        SqlGuard.requireRead(sql);
        PreparedStatement ps = null;
        try {
            if (inTransaction && pinned == null) {
                pin(pragma("PRAGMA litestream_txid")); // the first read of a transaction takes its snapshot
            }
            ps = connection.prepareStatement(sql);
            if (positional != null && !positional.isEmpty()) {
                Params.bind(ps, sql, positional);
            }
            if (named != null && !named.isEmpty()) {
                Params.bind(ps, sql, named);
            }
            Rows rows = new Rows(this, ps, Columns.of(ps));
            open.add(rows);
            return rows;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(ps);
            throw e instanceof SQLException se ? failure(se) : (RuntimeException) e;
        }
    }

    /** What {@code sql} takes and gives, without running it. */
    public Description describe(String sql) {
        checkNotExpired();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            boolean readOnly;
            try {
                SqlGuard.requireRead(sql);
                readOnly = true;
            } catch (QueryException e) {
                readOnly = false;
            }
            return new Description(Params.names(sql), Columns.of(ps), SqlGuard.isExplain(sql), readOnly);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** A statement's parameters (by position; null for an anonymous {@code ?}), columns and kind. */
    public record Description(List<String> params, Columns columns, boolean explain, boolean readOnly) {}

    /** The TXID (16 hex digits) of the state the session reads now. */
    public String txid() {
        return pinned != null ? pinned : pragma("PRAGMA litestream_txid");
    }

    /** When that state was written (RFC 3339). */
    public String time() {
        return pragma("PRAGMA litestream_time");
    }

    /** True between a BEGIN and its COMMIT or ROLLBACK. */
    public boolean inTransaction() {
        return inTransaction;
    }

    /**
     * The transaction in progress, for a continuation elsewhere: its pinned TXID, "" before its
     * first read; null outside a transaction.
     */
    public String transactionTxid() {
        return inTransaction ? (pinned == null ? "" : pinned) : null;
    }

    /** Handles BEGIN/COMMIT/END/ROLLBACK; false for any other statement. */
    private boolean transactionControl(String sql) {
        List<String> words = new ArrayList<>();
        for (String w : sql.strip().replaceAll(";+\\s*$", "").toUpperCase(Locale.ROOT).split("\\s+")) {
            words.add(w);
        }
        switch (words.getFirst()) {
            case "BEGIN" -> {
                List<String> rest = words.subList(1, words.size());
                String mode = rest.isEmpty() ? "" : rest.getFirst();
                if (mode.equals("IMMEDIATE") || mode.equals("EXCLUSIVE")) {
                    throw new QueryException(QueryException.Kind.READ_ONLY,
                            "this endpoint is read-only: BEGIN " + mode + " takes a write lock");
                }
                // SQLite's grammar, plus libSQL's READONLY: BEGIN [DEFERRED] [TRANSACTION] [READONLY]
                int i = mode.equals("DEFERRED") ? 1 : 0;
                if (i < rest.size() && rest.get(i).equals("TRANSACTION")) {
                    i++;
                }
                if (i < rest.size() && rest.get(i).equals("READONLY")) {
                    i++;
                }
                if (i < rest.size()) {
                    throw new QueryException(QueryException.Kind.SQL_ERROR, "near \"" + rest.get(i).toLowerCase(Locale.ROOT)
                            + "\": syntax error");
                }
                if (inTransaction) {
                    throw new QueryException(QueryException.Kind.SQL_ERROR, "cannot start a transaction within a transaction");
                }
                inTransaction = true;
                pinned = null; // taken by the first statement, as SQLite takes its snapshot at the first read
                return true;
            }
            case "COMMIT", "END", "ROLLBACK" -> {
                if (words.contains("TO")) {
                    return false; // ROLLBACK TO a savepoint: the guard refuses it
                }
                if (!inTransaction) {
                    throw new QueryException(QueryException.Kind.SQL_ERROR, "cannot " + (words.getFirst().equals("ROLLBACK")
                            ? "rollback" : "commit") + " - no transaction is active");
                }
                inTransaction = false;
                unpin();
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void pin(String txid) {
        set("litestream_txid", txid);
        pinned = txid;
    }

    private void unpin() {
        if (pinned != null && !historical) {
            set("litestream_time", "latest");
        }
        pinned = null;
    }

    private void set(String pragma, String value) {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA " + pragma + " = '" + value.replace("'", "''") + "'");
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private String pragma(String sql) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    void closed(Rows rows) {
        open.remove(rows);
    }

    private static void closeQuietly(PreparedStatement ps) {
        if (ps != null) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // nothing to release
            }
        }
    }

    /** Returns the connection to its pool in its initial state (newest state, no transaction). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                List.copyOf(open).forEach(Rows::close);
                pool.giveBack(connection);
            } finally {
                lease.close();
            }
        }
    }
}
