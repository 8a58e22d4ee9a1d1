package dev.ltxvfs.sql;

/** Why a query could not be answered; {@link Kind} decides the HTTP status the API gives it. */
public class QueryException extends RuntimeException {

    public enum Kind {
        /** The request itself is malformed (missing SQL, bad parameters, unparseable time). */
        BAD_REQUEST,
        /** The statement would write, attach, or load code: the endpoint is read-only. */
        READ_ONLY,
        /** SQLite rejected the SQL (syntax, unknown table or column...). */
        SQL_ERROR,
        UNKNOWN_DATABASE,
        /** The point in time is outside what the replica retains. */
        POINT_IN_TIME_UNAVAILABLE,
        TIMEOUT,
        /** A value, row or libSQL answer larger than ltxvfs.query.max-bytes, or temp storage past max-temp-bytes. */
        TOO_BIG,
        /** Every worker is busy and the queue is full. */
        OVERLOADED,
        /** The replica's storage could not be read (unreachable, missing or corrupt objects). */
        STORAGE_UNAVAILABLE,
        /** The database has no index yet (still opening). */
        NOT_READY,
        INTERNAL
    }

    private final Kind kind;

    public QueryException(Kind kind, String message) {
        this(kind, message, null);
    }

    public QueryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
