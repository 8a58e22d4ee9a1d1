package dev.ltxvfs.vfs;

/** A query's temporary files would pass its {@link TempBudget}: SQLite answered SQLITE_FULL. */
public final class TempStorageFullException extends VfsException {
    private final long limit;

    TempStorageFullException(long limit) {
        super("temporary files (sorts, temp b-trees) would pass " + limit + " bytes", null);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
