package dev.ltxvfs.jdbc;

import dev.ltxvfs.vfs.LitestreamVfs;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import org.sqlite.SQLiteException;

/**
 * sqlite-jdbc's connection, and the statements and result sets it hands out, with every error that a
 * VFS failure caused explained by that failure. SQLite passes only a result code up from the VFS, so
 * without this a tool would show "disk I/O error" where the replica's storage said why ("GET ... failed
 * after 3 attempts: connection refused"). The VFS keeps its last failure per thread, and a JDBC call
 * runs SQLite on the caller's thread.
 */
final class ExplainedErrors implements InvocationHandler {
    /** The types whose calls reach SQLite, so whose errors may have a VFS failure behind them. */
    private static final Set<Class<?>> WRAPPED = Set.of(Connection.class, Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class);

    private final Object target;

    private ExplainedErrors(Object target) {
        this.target = target;
    }

    /** What sqlite-jdbc opens: it reads the database's header, so opening can fail on storage too. */
    interface Opener {
        Connection open() throws SQLException;
    }

    static Connection connect(Opener opener) throws SQLException {
        LitestreamVfs.clearLastFailure();
        try {
            return (Connection) proxy(opener.open(), Connection.class);
        } catch (SQLException e) {
            throw explained(e);
        }
    }

    private static Object proxy(Object target, Class<?> type) {
        return Proxy.newProxyInstance(ExplainedErrors.class.getClassLoader(), new Class<?>[] {type}, new ExplainedErrors(target));
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        switch (m.getName()) {
            case "unwrap" -> {
                if (args[0] instanceof Class<?> c && c.isInstance(proxy)) {
                    return proxy;
                }
            }
            // Identity, as sqlite-jdbc's objects have it: a pool or a set must find the proxy it holds.
            case "equals" -> {
                if (m.getParameterCount() == 1) {
                    return proxy == args[0];
                }
            }
            case "hashCode" -> {
                if (m.getParameterCount() == 0) {
                    return System.identityHashCode(proxy);
                }
            }
            default -> { }
        }
        // A failure SQLite recovered from (a retried read) explains no later error.
        LitestreamVfs.clearLastFailure();
        Object result;
        try {
            result = m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof SQLException s ? explained(s) : e.getCause();
        }
        return result != null && WRAPPED.contains(m.getReturnType()) ? proxy(result, m.getReturnType()) : result;
    }

    private static SQLException explained(SQLException e) {
        Throwable vfs = LitestreamVfs.takeLastFailure().orElse(null);
        if (vfs == null || vfs.getMessage() == null || String.valueOf(e.getMessage()).contains(vfs.getMessage())) {
            return e;
        }
        String message = e.getMessage() + ": " + vfs.getMessage();
        SQLException x = e instanceof SQLiteException s ? new SQLiteException(message, s.getResultCode())
                : new SQLException(message, e.getSQLState(), e.getErrorCode());
        x.initCause(vfs);
        x.setStackTrace(e.getStackTrace());
        return x;
    }
}
