package dev.ltxvfs.vfs;

/** The SQLite constants the VFS uses (sqlite3.h). */
final class SqliteCodes {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int READONLY = 8;
    static final int IOERR = 10;
    static final int NOTFOUND = 12;
    static final int FULL = 13;
    static final int CANTOPEN = 14;
    static final int IOERR_READ = IOERR | (1 << 8);
    static final int IOERR_SHORT_READ = IOERR | (2 << 8);
    static final int IOERR_WRITE = IOERR | (3 << 8);
    static final int IOERR_FSTAT = IOERR | (7 << 8);
    static final int IOERR_TRUNCATE = IOERR | (6 << 8);
    static final int IOERR_DELETE = IOERR | (10 << 8);
    static final int IOERR_LOCK = IOERR | (15 << 8);
    static final int READONLY_DIRECTORY = READONLY | (6 << 8);

    static final int OPEN_READONLY = 0x1;
    static final int OPEN_MAIN_DB = 0x100;
    static final int OPEN_WAL = 0x80000;
    static final int OPEN_MAIN_JOURNAL = 0x800;

    static final int LOCK_NONE = 0;
    static final int LOCK_SHARED = 1;
    static final int LOCK_RESERVED = 2;

    static final int FCNTL_PRAGMA = 14;

    private SqliteCodes() {}
}
