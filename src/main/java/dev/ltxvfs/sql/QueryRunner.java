package dev.ltxvfs.sql;

import dev.ltxvfs.vfs.DatabaseRegistry;
import dev.ltxvfs.vfs.Lease;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.NoSuchDatabaseException;
import dev.ltxvfs.vfs.PointInTimeException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteException;

/**
 * Runs read queries against databases served by the litestream VFS, on the bounded
 * {@link WorkerPool}: guard, point in time, one read transaction, deadline, limits, and errors
 * turned into {@link QueryException}s a client can act on.
 *
 * <p>Databases are found in the {@link DatabaseRegistry}: a query holds a {@link Lease} on its
 * database from borrowing a connection to giving it back, and each database's connection pool is
 * an attachment of the registry's entry, closed with the database.
 */
public final class QueryRunner {
    private final DatabaseRegistry registry;
    private final WorkerPool workers;
    private final Duration timeout;
    private final int defaultMaxRows;
    private final long maxBytes;

    public QueryRunner(DatabaseRegistry registry, WorkerPool workers, Duration timeout, int defaultMaxRows) {
        this(registry, workers, timeout, defaultMaxRows, Long.MAX_VALUE);
    }

    /** @param maxBytes most bytes of values in one whole answer; past it the answer is truncated */
    public QueryRunner(DatabaseRegistry registry, WorkerPool workers, Duration timeout, int defaultMaxRows, long maxBytes) {
        this.registry = registry;
        this.workers = workers;
        this.timeout = timeout;
        this.defaultMaxRows = defaultMaxRows;
        this.maxBytes = maxBytes;
    }

    public WorkerPool workers() {
        return workers;
    }

    /** The whole answer, at most maxRows rows (then {@code truncated}). */
    public CompletableFuture<QueryResult> query(QueryRequest req) {
        int max = limit(req);
        return withDeadline(workers.submit(() -> {
            try (Cursor c = openNow(req)) {
                List<Object[]> rows = new ArrayList<>();
                long bytes = 0;
                boolean truncated = false;
                while (!truncated) {
                    List<Object[]> batch = c.fetch(Math.min(1024, max + 1 - rows.size()));
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (Object[] row : batch) {
                        bytes += size(row);
                        if (rows.size() == max || bytes > maxBytes) {
                            truncated = true;
                            break;
                        }
                        rows.add(row);
                    }
                }
                return new QueryResult(c.columns(), c.types(), rows, c.txid(), c.time(), truncated, c.elapsedMs());
            }
        }));
    }

    /**
     * Runs {@code work} on a worker with a {@link Session}: one connection of {@code database} in one
     * read transaction, interrupted at the query timeout, returned to the pool afterwards.
     */
    public <T> CompletableFuture<T> session(String database, java.util.function.Function<Session, T> work) {
        return withDeadline(workers.submit(() -> {
            try (Lease lease = acquire(database)) {
                ConnectionPool pool = pool(lease);
                LitestreamVfs.clearLastFailure();
                Connection c;
                try {
                    c = pool.borrow();
                    c.setAutoCommit(false); // one read transaction: every statement sees one snapshot
                } catch (SQLException e) {
                    throw classify(e);
                }
                Session s = new Session(this, c, defaultMaxRows);
                ScheduledFuture<?> deadline = workers.timer().schedule(() -> {
                    s.expire();
                    interrupt(c);
                }, timeout.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    return work.apply(s);
                } finally {
                    deadline.cancel(false);
                    pool.giveBack(c);
                }
            }
        }));
    }

    /** A lease on {@code database}: UNKNOWN_DATABASE (404) when nothing answers to the name. */
    private Lease acquire(String database) {
        try {
            return registry.acquire(database);
        } catch (IllegalArgumentException e) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, e.getMessage());
        } catch (NoSuchDatabaseException e) {
            throw new QueryException(QueryException.Kind.UNKNOWN_DATABASE, e.getMessage());
        } catch (IOException e) {
            throw new QueryException(QueryException.Kind.STORAGE_UNAVAILABLE, "cannot open database '" + database + "': "
                    + e.getMessage(), e);
        }
    }

    /** The database's connection pool, kept by the registry with the open database. */
    private static ConnectionPool pool(Lease lease) {
        return lease.attachment(ConnectionPool.class, () -> new ConnectionPool(lease.name()));
    }

    private static void interrupt(Connection c) {
        try {
            ((org.sqlite.SQLiteConnection) c).getDatabase().interrupt();
        } catch (SQLException | RuntimeException ignored) {
            // closed meanwhile: nothing runs any more
        }
    }

    QueryException timeoutException() {
        return new QueryException(QueryException.Kind.TIMEOUT, "the query was interrupted after " + timeoutText()
                + " (ltxvfs.query.timeout)");
    }

    private String timeoutText() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    /** About what a row's values take in a JSON answer. */
    static long size(Object[] row) {
        long n = 0;
        for (Object v : row) {
            n += switch (v) {
                case null -> 4;
                case String str -> str.length() + 2;
                case byte[] b -> (b.length + 2) / 3 * 4 + 2;
                default -> 20;
            };
        }
        return n + row.length;
    }

    /** Opens a cursor on a worker; the caller fetches batches (each on a worker) and closes it. */
    public CompletableFuture<Cursor> open(QueryRequest req) {
        return withDeadline(workers.submit(() -> openNow(req)));
    }

    /** Runs {@code work} for a cursor on a worker (each streamed batch). */
    public <T> CompletableFuture<T> onWorker(java.util.function.Supplier<T> work) {
        return workers.submit(work);
    }

    public int limit(QueryRequest req) {
        Integer m = req.maxRows();
        if (m != null && m < 0) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "maxRows must not be negative");
        }
        return m == null ? defaultMaxRows : Math.min(m, defaultMaxRows);
    }

    private <T> CompletableFuture<T> withDeadline(CompletableFuture<T> f) {
        // The statement is interrupted at the deadline; this only bounds a worker stuck in a read.
        return f.orTimeout(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS).exceptionallyCompose(t -> {
            Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
            if (c instanceof java.util.concurrent.TimeoutException) {
                c = new QueryException(QueryException.Kind.TIMEOUT, "the query did not finish within " + timeoutText()
                        + " (ltxvfs.query.timeout)");
            }
            return CompletableFuture.failedFuture(c);
        });
    }

    private Cursor openNow(QueryRequest req) {
        if (req.sql() == null || req.sql().isBlank()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "the request has no \"sql\"");
        }
        SqlGuard.requireRead(req.sql());
        Lease lease = acquire(req.database());
        long started = System.nanoTime();
        LitestreamVfs.clearLastFailure();
        ConnectionPool pool = null;
        Connection c = null;
        PreparedStatement ps = null;
        try {
            pool = pool(lease);
            c = pool.borrow();
            if (req.at() != null && !req.at().isBlank()) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA litestream_time = '" + req.at().replace("'", "''") + "'");
                }
            }
            c.setAutoCommit(false); // one read transaction: rows, TXID and time from one pinned view
            ps = c.prepareStatement(req.sql());
            Params.bind(ps, req.sql(), req.params());
            PreparedStatement toCancel = ps;
            ScheduledFuture<?> deadline = workers.timer().schedule(() -> cancel(toCancel), timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Cursor(this, lease, pool, c, ps, deadline, started);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(ps);
            if (c != null) {
                pool.giveBack(c);
            }
            lease.close();
            throw e instanceof SQLException se ? classify(se) : (RuntimeException) e;
        }
    }

    private static void cancel(PreparedStatement ps) {
        try {
            ps.cancel();
        } catch (SQLException | RuntimeException ignored) {
            // the statement finished meanwhile
        }
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

    /** An SQLite error, explained by the VFS failure behind it when there is one. */
    QueryException classify(SQLException e) {
        Throwable vfs = LitestreamVfs.takeLastFailure().map(QueryRunner::root).orElse(null);
        if (vfs instanceof QueryException q) {
            return q;
        }
        if (vfs instanceof PointInTimeException p) {
            return new QueryException(QueryException.Kind.POINT_IN_TIME_UNAVAILABLE, p.getMessage(), e);
        }
        if (vfs instanceof IllegalArgumentException) {
            return new QueryException(QueryException.Kind.BAD_REQUEST, vfs.getMessage(), e);
        }
        int code = e instanceof SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
        if (vfs != null && code != 8) {
            return new QueryException(QueryException.Kind.STORAGE_UNAVAILABLE, "cannot read the replica: " + vfs.getMessage(), e);
        }
        String msg = sqliteMessage(e);
        return switch (code) {
            case 9 -> new QueryException(QueryException.Kind.TIMEOUT,
                    "the query was interrupted after " + timeoutText() + " (ltxvfs.query.timeout)", e);
            case 8, 23 -> new QueryException(QueryException.Kind.READ_ONLY, "this endpoint is read-only: " + msg, e);
            case 1, 20, 25 -> new QueryException(QueryException.Kind.SQL_ERROR, msg, e);
            case 10, 11, 14, 26 -> new QueryException(QueryException.Kind.STORAGE_UNAVAILABLE, "cannot read the replica: " + msg, e);
            default -> new QueryException(QueryException.Kind.INTERNAL, msg, e);
        };
    }

    private static final java.util.regex.Pattern JDBC_MESSAGE =
            java.util.regex.Pattern.compile("^\\[\\w+\\] .*? \\((.*)\\)$", java.util.regex.Pattern.DOTALL);

    /** SQLite's own text: sqlite-jdbc wraps it as "[SQLITE_ERROR] SQL error or missing database (text)". */
    static String sqliteMessage(SQLException e) {
        String m = e.getMessage();
        if (m == null) {
            return "SQLite error " + e.getErrorCode();
        }
        var matcher = JDBC_MESSAGE.matcher(m);
        return matcher.matches() ? matcher.group(1) : m;
    }

    private static Throwable root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r && !(r instanceof PointInTimeException)
                && !(r instanceof QueryException)) {
            r = r.getCause();
        }
        return r instanceof IllegalArgumentException || r instanceof QueryException ? r : t;
    }
}
