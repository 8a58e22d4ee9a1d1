package dev.ltxvfs.vfs;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A hold on an open database from {@link DatabaseRegistry#acquire}: while any lease on it is
 * held, the registry does not close the database. Close it exactly once, on any thread.
 */
public final class Lease implements AutoCloseable {
    private final RegistryEntry entry;
    private final VfsDatabase db;
    private boolean closed;

    Lease(RegistryEntry entry, VfsDatabase db) {
        this.entry = entry;
        this.db = db;
    }

    /** The name the database is served under (a lookup by path or suffix resolves to it). */
    public String name() {
        return entry.name;
    }

    public VfsDatabase database() {
        return db;
    }

    /** The catalog the database was found in; null for a configured database. */
    public String catalog() {
        return entry.served().catalog();
    }

    /**
     * The per-database resource stored under {@code key}, made by {@code create} on first use and
     * closed when the database closes (a connection pool, for example).
     *
     * @throws IllegalStateException when the database was removed under this lease
     */
    public <T extends AutoCloseable> T attachment(Object key, Supplier<T> create) {
        return entry.attachment(db, key, create);
    }

    /** An on-demand poll when one is due (a read transaction starts). */
    void pollIfDue(Duration wait) {
        entry.pollIfDue(db, wait);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            entry.release(db);
        }
    }
}
