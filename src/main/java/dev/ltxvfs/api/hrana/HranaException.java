package dev.ltxvfs.api.hrana;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ltxvfs.sql.QueryException;
import java.util.Locale;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A Hrana error: {@code {"message": "...", "code": "..."}}. The client shows it as
 * {@code "<code>: <message>"}, so the message never repeats the code.
 */
final class HranaException extends RuntimeException {
    static final String READ_ONLY_MESSAGE = "attempt to write a readonly database";

    private final int status;
    private final String code;

    HranaException(String code, String message) {
        this(400, code, message);
    }

    /** A failure of the whole request, answered with HTTP {@code status}. */
    HranaException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    ObjectNode json() {
        return json(code, getMessage());
    }

    static ObjectNode json(String code, String message) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("message", message);
        n.put("code", code);
        return n;
    }

    /** A failed statement as the protocol reports it; SQLite's own code when it has one. */
    static HranaException of(RuntimeException e) {
        if (e instanceof HranaException h) {
            return h;
        }
        if (!(e instanceof QueryException q)) {
            return new HranaException("INTERNAL", "internal error: " + e.getClass().getSimpleName());
        }
        return switch (q.kind()) {
            case READ_ONLY -> new HranaException("SQLITE_READONLY", READ_ONLY_MESSAGE + ": the ltxvfs replica is read-only ("
                    + q.getMessage().replaceFirst("^this endpoint is read-only: ", "") + ")");
            case TIMEOUT -> new HranaException("SQLITE_INTERRUPT", q.getMessage());
            // SQLITE_FULL for temporary storage past max-temp-bytes, else a value, row or answer too big.
            case TOO_BIG -> new HranaException(q.getCause() instanceof SQLiteException ? sqliteCode(q) : "SQLITE_TOOBIG",
                    q.getMessage());
            case STORAGE_UNAVAILABLE -> new HranaException("SQLITE_IOERR", q.getMessage());
            case SQL_ERROR, BAD_REQUEST -> new HranaException(sqliteCode(q), q.getMessage());
            default -> new HranaException(q.kind().name(), q.getMessage());
        };
    }

    /** The primary SQLite code name of the error behind {@code q}, else SQLITE_ERROR. */
    private static String sqliteCode(QueryException q) {
        if (q.getCause() instanceof SQLiteException se) {
            SQLiteErrorCode primary = SQLiteErrorCode.getErrorCode(se.getResultCode().code & 0xff);
            if (primary != SQLiteErrorCode.UNKNOWN_ERROR) {
                return primary.name().toUpperCase(Locale.ROOT);
            }
        }
        return "SQLITE_ERROR";
    }
}
