package dev.ltxvfs.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sqlite.core.CoreStatement;

/**
 * Several statements on one borrowed connection inside one read transaction, so they all see the
 * same snapshot (a libSQL pipeline or batch). Runs on one worker, statement after statement; each
 * statement fails on its own (a {@link QueryException}) without ending the session.
 *
 * <p>{@code BEGIN}, {@code COMMIT}/{@code END} and {@code ROLLBACK} only move a flag: the whole
 * session already is one read transaction, and a read-only replica has nothing to commit. They still
 * fail where SQLite would (a BEGIN inside a transaction, a COMMIT outside one), and
 * {@code BEGIN IMMEDIATE/EXCLUSIVE}, which take a write lock, are refused as writes.
 */
public final class Session {
    /** One statement's answer; {@code declTypes} holds null for expressions. */
    public record Result(List<String> columns, List<String> declTypes, List<Object[]> rows) {}

    private final QueryRunner runner;
    private final Connection connection;
    private final int maxRows;
    private volatile boolean expired;
    private boolean inTransaction;

    Session(QueryRunner runner, Connection connection, int maxRows) {
        this.runner = runner;
        this.connection = connection;
        this.maxRows = maxRows;
    }

    /** Called by the deadline timer: the running statement is interrupted, later ones fail at once. */
    void expire() {
        expired = true;
    }

    boolean expired() {
        return expired;
    }

    /**
     * Runs one statement. {@code positional} binds {@code ?} in order; {@code named} binds by name
     * ({@code :a}, {@code @a}, {@code $a}, or a bare {@code a} trying those prefixes) and wins over
     * a positional value for the same slot. Without {@code wantRows} the rows are read but dropped.
     */
    public Result execute(String sql, List<Object> positional, Map<String, Object> named, boolean wantRows) {
        if (expired) {
            throw runner.timeoutException();
        }
        if (sql == null || sql.isBlank()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "the statement is empty");
        }
        if (transactionControl(sql)) {
            return new Result(List.of(), List.of(), List.of());
        }
        SqlGuard.requireRead(sql);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            if (positional != null && !positional.isEmpty()) {
                Params.bind(ps, sql, positional);
            }
            if (named != null && !named.isEmpty()) {
                Params.bind(ps, sql, named);
            }
            if (!ps.execute()) {
                return new Result(List.of(), List.of(), List.of());
            }
            try (ResultSet rs = ps.getResultSet()) {
                var md = rs.getMetaData();
                int n = md.getColumnCount();
                List<String> columns = new ArrayList<>(n);
                List<String> types = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    columns.add(md.getColumnLabel(i));
                    types.add(declType(ps, i - 1));
                }
                List<Object[]> rows = new ArrayList<>();
                while (rs.next()) {
                    if (rows.size() >= maxRows) {
                        throw new QueryException(QueryException.Kind.BAD_REQUEST, "the answer has more than " + maxRows
                                + " rows (ltxvfs.query.max-rows); page through it with LIMIT and OFFSET");
                    }
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    if (wantRows) {
                        rows.add(row);
                    }
                }
                return new Result(columns, types, rows);
            }
        } catch (SQLException e) {
            if (expired) {
                throw runner.timeoutException();
            }
            throw runner.classify(e);
        }
    }

    /** The declared type of a result column (null for an expression), straight from SQLite. */
    private static String declType(PreparedStatement ps, int col) {
        try {
            return ((CoreStatement) ps).pointer.safeRun((db, p) -> db.column_decltype(p, col));
        } catch (SQLException | ClassCastException e) {
            return null;
        }
    }

    /** Handles BEGIN/COMMIT/END/ROLLBACK; false for any other statement. */
    private boolean transactionControl(String sql) {
        String[] words = sql.strip().replaceAll(";+\\s*$", "").toUpperCase(Locale.ROOT).split("\\s+");
        switch (words[0]) {
            case "BEGIN" -> {
                String mode = words.length > 1 ? words[1] : "";
                if (mode.equals("IMMEDIATE") || mode.equals("EXCLUSIVE")) {
                    throw new QueryException(QueryException.Kind.READ_ONLY,
                            "this endpoint is read-only: BEGIN " + mode + " takes a write lock");
                }
                if (inTransaction) {
                    throw new QueryException(QueryException.Kind.SQL_ERROR, "cannot start a transaction within a transaction");
                }
                inTransaction = true;
                return true;
            }
            case "COMMIT", "END" -> {
                if (!inTransaction) {
                    throw new QueryException(QueryException.Kind.SQL_ERROR, "cannot commit - no transaction is active");
                }
                inTransaction = false;
                return true;
            }
            case "ROLLBACK" -> {
                if (java.util.Arrays.asList(words).contains("TO")) {
                    return false; // ROLLBACK TO a savepoint: the guard refuses it
                }
                if (!inTransaction) {
                    throw new QueryException(QueryException.Kind.SQL_ERROR, "cannot rollback - no transaction is active");
                }
                inTransaction = false;
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** True between a BEGIN and its COMMIT or ROLLBACK. */
    public boolean inTransaction() {
        return inTransaction;
    }
}
