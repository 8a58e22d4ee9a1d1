package dev.ltxvfs.sql;

import dev.ltxvfs.vfs.DatabaseRegistry;
import dev.ltxvfs.vfs.Lease;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.NoSuchDatabaseException;
import dev.ltxvfs.vfs.PointInTimeException;
import dev.ltxvfs.vfs.TempStorageFullException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Runs read queries against databases served by the litestream VFS, on the bounded
 * {@link WorkerPool}, through {@link Session}s: guard, point in time, pinned snapshot, deadline,
 * limits, and errors turned into {@link QueryException}s a client can act on.
 *
 * <p>Databases are found in the {@link DatabaseRegistry}: a session holds a {@link Lease} on its
 * database from borrowing a connection to giving it back, and each database's connection pool is
 * an attachment of the registry's entry, closed with the database.
 */
public final class QueryRunner {
    private final DatabaseRegistry registry;
    private final WorkerPool workers;
    private final Duration timeout;
    private final int defaultMaxRows;
    private final long maxBytes;
    private final long maxTempBytes;

    public QueryRunner(DatabaseRegistry registry, WorkerPool workers, Duration timeout, int defaultMaxRows) {
        this(registry, workers, timeout, defaultMaxRows, Integer.MAX_VALUE);
    }

    public QueryRunner(DatabaseRegistry registry, WorkerPool workers, Duration timeout, int defaultMaxRows, long maxBytes) {
        this(registry, workers, timeout, defaultMaxRows, maxBytes, Long.MAX_VALUE);
    }

    /**
     * @param maxBytes most bytes of values in one whole answer (past it a REST answer is truncated, a
     *     libSQL one fails); no single value or row may be larger
     * @param maxTempBytes most bytes of temporary files (sorts, temp b-trees) a session holds at once
     */
    public QueryRunner(DatabaseRegistry registry, WorkerPool workers, Duration timeout, int defaultMaxRows, long maxBytes,
            long maxTempBytes) {
        this.registry = registry;
        this.workers = workers;
        this.timeout = timeout;
        this.defaultMaxRows = defaultMaxRows;
        this.maxBytes = maxBytes;
        this.maxTempBytes = maxTempBytes;
    }

    public WorkerPool workers() {
        return workers;
    }

    Duration timeout() {
        return timeout;
    }

    public int maxRows() {
        return defaultMaxRows;
    }

    public long maxBytes() {
        return maxBytes;
    }

    long maxTempBytes() {
        return maxTempBytes;
    }

    /** SQLite's SQLITE_LIMIT_LENGTH for our connections: no string or blob past max-bytes is ever made. */
    int valueLimit() {
        return (int) Math.min(maxBytes, Integer.MAX_VALUE);
    }

    /** The whole answer, at most maxRows rows and max-bytes (then {@code truncated}). */
    public CompletableFuture<QueryResult> query(QueryRequest req) {
        int max;
        try {
            max = limit(req);
            requireSql(req.sql());
        } catch (QueryException e) {
            return CompletableFuture.failedFuture(e);
        }
        return workers.submit(() -> {
            long started = System.nanoTime();
            try (Session s = Session.open(this, req.database(), req.at(), false, null)) {
                return s.timed(x -> {
                    try (Rows rows = x.execute(req.sql(), positional(req.params()), named(req.params()))) {
                        List<Object[]> out = new ArrayList<>();
                        long bytes = 0;
                        boolean truncated = false;
                        while (!truncated) {
                            List<Object[]> batch = rows.fetch(Math.min(1024, max + 1 - out.size()));
                            if (batch.isEmpty()) {
                                break;
                            }
                            for (Object[] row : batch) {
                                bytes += JsonSize.of(row);
                                if (out.size() == max || bytes > maxBytes) {
                                    truncated = true;
                                    break;
                                }
                                out.add(row);
                            }
                        }
                        return new QueryResult(rows.columns(), types(rows), out, x.txid(), x.time(), truncated,
                                (System.nanoTime() - started) / 1_000_000);
                    }
                });
            }
        });
    }

    /**
     * Opens a connection of {@code database} before any query asks, on a worker, as its first query
     * would (lease, connection, pinned snapshot) and reads its schema, then leaves it in the pool: the
     * first query then pays only for its own pages. Call it once the index is built. Best effort:
     * skipped while half the workers are busy (many databases at once must not crowd out queries) or
     * when the pool already holds a connection; a failure is left for the first query to report.
     */
    public CompletableFuture<Void> openAhead(String database) {
        if (workers.active() + workers.queued() >= Math.max(1, workers.workers() / 2)) {
            return CompletableFuture.completedFuture(null);
        }
        return workers.submit(() -> {
            try (Lease lease = acquire(database)) {
                if (pool(lease).idle() > 0) {
                    return null;
                }
                try (Session s = Session.open(this, database, null, false, null)) {
                    s.timed(x -> {
                        try (Rows rows = x.execute("SELECT count(*) FROM sqlite_schema", null, null)) {
                            return rows.fetch(1);
                        }
                    });
                }
            }
            return null;
        });
    }

    /** Declared types for a REST answer: an expression's is "". */
    public static List<String> types(Rows rows) {
        return rows.declTypes().stream().map(t -> t == null ? "" : t).toList();
    }

    /**
     * Opens a session on a worker: a REST stream's (pinned at {@code at} or now), or a libSQL
     * stream's ({@code interactive}, continuing a transaction pinned at {@code txid} when not null).
     * The caller runs work on it with {@link Session#run} and closes it.
     */
    public CompletableFuture<Session> open(String database, String at, boolean interactive, String txid) {
        return workers.submit(() -> Session.open(this, database, at, interactive, txid));
    }

    /** A lease on {@code database}: UNKNOWN_DATABASE (404) when nothing answers to the name. */
    Lease acquire(String database) {
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
    static ConnectionPool pool(Lease lease) {
        return lease.attachment(ConnectionPool.class, () -> new ConnectionPool(lease.name()));
    }

    static void requireSql(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "the request has no \"sql\"");
        }
    }

    /** REST parameters: an array binds by position, an object by name. */
    public static List<?> positional(Object params) {
        return params instanceof List<?> l ? l : null;
    }

    public static Map<?, ?> named(Object params) {
        if (params != null && !(params instanceof List<?>) && !(params instanceof Map<?, ?>)) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "params must be an array or an object");
        }
        return params instanceof Map<?, ?> m ? m : null;
    }

    public int limit(QueryRequest req) {
        Integer m = req.maxRows();
        if (m != null && m < 0) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "maxRows must not be negative");
        }
        return m == null ? defaultMaxRows : Math.min(m, defaultMaxRows);
    }

    QueryException timeoutException() {
        return new QueryException(QueryException.Kind.TIMEOUT, "the query was interrupted after " + timeoutText()
                + " (ltxvfs.query.timeout)");
    }

    private String timeoutText() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    /** A value, row or answer past max-bytes; {@code what} says which, the message names the limit. */
    public QueryException tooBig(String what, Throwable cause) {
        return new QueryException(QueryException.Kind.TOO_BIG, what + " ltxvfs.query.max-bytes (" + JsonSize.text(maxBytes)
                + "); select less (substr(), length(), fewer columns or rows)", cause);
    }

    /** An SQLite error, explained by the VFS failure behind it when there is one. */
    QueryException classify(SQLException e) {
        Throwable vfs = LitestreamVfs.takeLastFailure().map(QueryRunner::root).orElse(null);
        if (vfs instanceof QueryException q) {
            return q;
        }
        if (vfs instanceof TempStorageFullException full) {
            return new QueryException(QueryException.Kind.TOO_BIG, "the query needs more temporary storage (sorting, "
                    + "GROUP BY, DISTINCT) than ltxvfs.query.max-temp-bytes (" + JsonSize.text(full.limit())
                    + "); narrow it with WHERE or LIMIT, or sort by an indexed column", e);
        }
        if (vfs instanceof PointInTimeException p) {
            return new QueryException(QueryException.Kind.POINT_IN_TIME_UNAVAILABLE, p.getMessage(), e);
        }
        if (vfs instanceof IllegalArgumentException) {
            return new QueryException(QueryException.Kind.BAD_REQUEST, vfs.getMessage(), e);
        }
        SQLiteErrorCode code = primaryCode(e);
        if (vfs != null && code != SQLiteErrorCode.SQLITE_READONLY) {
            return new QueryException(QueryException.Kind.STORAGE_UNAVAILABLE, "cannot read the replica: " + vfs.getMessage(), e);
        }
        String msg = sqliteMessage(e);
        return switch (code) {
            case SQLITE_INTERRUPT -> timeoutException();
            case SQLITE_READONLY, SQLITE_AUTH -> new QueryException(QueryException.Kind.READ_ONLY,
                    "this endpoint is read-only: " + msg, e);
            case SQLITE_TOOBIG -> tooBig("a value is larger than", e);
            case SQLITE_ERROR, SQLITE_MISMATCH, SQLITE_RANGE -> new QueryException(QueryException.Kind.SQL_ERROR, msg, e);
            case SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_NOTADB -> new QueryException(
                    QueryException.Kind.STORAGE_UNAVAILABLE, "cannot read the replica: " + msg, e);
            default -> new QueryException(QueryException.Kind.INTERNAL, msg, e);
        };
    }

    /** The primary result code (extended codes carry it in their low byte). */
    public static SQLiteErrorCode primaryCode(SQLException e) {
        int code = e instanceof SQLiteException se ? se.getResultCode().code : e.getErrorCode();
        return SQLiteErrorCode.getErrorCode(code & 0xff);
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

    /** The VFS failure's cause that explains it: a point in time, bad input, or our own exception. */
    private static Throwable root(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r && !(r instanceof PointInTimeException)
                && !(r instanceof QueryException)) {
            r = r.getCause();
        }
        return r instanceof IllegalArgumentException || r instanceof QueryException ? r : t;
    }
}
