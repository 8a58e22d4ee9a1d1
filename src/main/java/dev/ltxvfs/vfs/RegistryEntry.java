package dev.ltxvfs.vfs;

import dev.ltxvfs.vfs.DatabaseRegistry.Poll;
import dev.ltxvfs.vfs.DatabaseRegistry.Polling;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One served name and the life of its database: closed, opening/open (with leases, a poll job
 * and attachments), closed again. Every change of state happens under this object's lock.
 */
final class RegistryEntry {
    final DatabaseRegistry registry;
    final String name;
    final String location;
    final Polling polling;
    private final Supplier<? extends VfsDatabase> opener;
    private VfsDatabase db;
    private int leases;
    private boolean removed;
    private ScheduledFuture<?> pollJob;
    private final Map<Object, AutoCloseable> attachments = new LinkedHashMap<>();
    private volatile long lastUsedNanos = System.nanoTime();

    RegistryEntry(DatabaseRegistry registry, String name, String location, Supplier<? extends VfsDatabase> opener,
            Polling polling) {
        this.registry = registry;
        this.name = name;
        this.location = location;
        this.opener = opener;
        this.polling = polling;
    }

    synchronized DatabaseRegistry.Served served() {
        return new DatabaseRegistry.Served(name, location, polling, db);
    }

    /** A lease on the open database, opening it first when it is closed. */
    synchronized Lease retain() throws NoSuchDatabaseException {
        if (removed) {
            throw new NoSuchDatabaseException("database '" + name + "' is no longer served");
        }
        if (db == null) {
            open();
        }
        leases++;
        lastUsedNanos = System.nanoTime();
        return new Lease(this, db);
    }

    /** The open database, opened now if it is closed (a configured database at start-up). */
    synchronized VfsDatabase openNow() {
        if (db == null && !removed) {
            open();
        }
        return db;
    }

    synchronized void release(VfsDatabase of) {
        if (of == db) {
            leases--;
        }
        lastUsedNanos = System.nanoTime();
    }

    synchronized <T extends AutoCloseable> T attachment(VfsDatabase of, Object key, Supplier<T> create) {
        if (of != db) {
            throw new IllegalStateException("database '" + name + "' was closed");
        }
        @SuppressWarnings("unchecked")
        T t = (T) attachments.computeIfAbsent(key, k -> create.get());
        return t;
    }

    private void open() {
        VfsDatabase d = opener.get();
        d.start();
        db = d;
        if (polling.mode() == Poll.BACKGROUND) {
            long every = polling.interval().toMillis();
            pollJob = registry.timer().scheduleWithFixedDelay(() -> poll(d), every, every, TimeUnit.MILLISECONDS);
        }
        registry.opened(this, d);
    }

    private void poll(VfsDatabase d) {
        try {
            d.poll().whenComplete((advanced, e) -> {
                if (e != null) {
                    DatabaseRegistry.LOG.log(Level.WARNING, "database '" + name + "': poll failed, retrying next tick: "
                            + rootMessage(e));
                }
            });
        } catch (RuntimeException e) {
            DatabaseRegistry.LOG.log(Level.WARNING, "database '" + name + "': poll failed: " + rootMessage(e));
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * Closes the database: its poll stops, its attachments and the database itself are closed.
     * With {@code remove} the name stops being served and leases do not hold it open.
     */
    void close(boolean remove) {
        VfsDatabase d;
        List<AutoCloseable> closing;
        synchronized (this) {
            removed |= remove;
            d = db;
            if (d == null || (!remove && leases > 0)) {
                return;
            }
            db = null;
            leases = 0;
            if (pollJob != null) {
                pollJob.cancel(false);
                pollJob = null;
            }
            closing = new ArrayList<>(attachments.values());
            attachments.clear();
        }
        for (AutoCloseable a : closing) {
            try {
                a.close();
            } catch (Exception e) {
                DatabaseRegistry.LOG.log(Level.WARNING, "closing a resource of database '" + name + "' failed", e);
            }
        }
        d.close();
        registry.closed(this, d);
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }
}
