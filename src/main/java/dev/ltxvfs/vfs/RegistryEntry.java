package dev.ltxvfs.vfs;

import dev.ltxvfs.vfs.Polling.Mode;
import dev.ltxvfs.vfs.Polling;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * One served name and the life of its database: closed, open (with leases, a poll job and
 * attachments), closed again. A configured entry stays in the registry for good (one served until
 * idle closes its database when idle, and its next use opens it again); a catalog's entry is
 * forgotten when its database closes (or fails to open), so the next use looks again.
 * Every change of state happens under this object's lock.
 */
final class RegistryEntry {
    /** What opening produced: the database, where it comes from, its catalog (or null), its polling. */
    record Opened(VfsDatabase db, String location, String catalog, Polling polling) {}

    /** Opening may fail with storage errors (a catalog's probe) or a missing database. */
    interface Opener {
        Opened open() throws IOException;
    }

    final DatabaseRegistry registry;
    final String name;
    private final Opener opener;
    private final boolean fromCatalog;
    private final boolean closesWhenIdle;
    private volatile VfsDatabase db;
    private volatile String location;
    private volatile String catalog;
    private volatile Polling polling;
    private int leases;
    private boolean retired;
    private AutoCloseable pollJob;
    private final Map<Object, AutoCloseable> attachments = new LinkedHashMap<>();
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long lastPollNanos;
    private CompletableFuture<Boolean> pollInFlight;

    private RegistryEntry(DatabaseRegistry registry, String name, Opener opener, boolean fromCatalog, boolean closesWhenIdle,
            String location, Polling polling) {
        this.registry = registry;
        this.name = name;
        this.opener = opener;
        this.fromCatalog = fromCatalog;
        this.closesWhenIdle = closesWhenIdle;
        this.location = location;
        this.polling = polling;
    }

    static RegistryEntry configured(DatabaseRegistry r, String name, String location, Supplier<? extends VfsDatabase> open,
            Polling polling, boolean closesWhenIdle) {
        return new RegistryEntry(r, name, () -> new Opened(open.get(), location, null, polling), false, closesWhenIdle,
                location, polling);
    }

    static RegistryEntry fromCatalog(DatabaseRegistry r, String name, Opener opener) {
        return new RegistryEntry(r, name, opener, true, true, null, null);
    }

    boolean fromCatalog() {
        return fromCatalog;
    }

    /** Whether the registry closes the database after idle-close without a lease. */
    boolean closesWhenIdle() {
        return closesWhenIdle;
    }

    boolean isOpen() {
        return db != null;
    }

    /** Read without the lock: a listing never waits behind an open in progress. */
    DatabaseRegistry.Served served() {
        return new DatabaseRegistry.Served(name, location, catalog, polling, db);
    }

    /** A lease on the open database, opening it first; null when this entry was closed and forgotten. */
    synchronized Lease retain() throws IOException {
        if (retired) {
            return null;
        }
        if (db == null) {
            try {
                open();
            } catch (IOException | RuntimeException e) {
                if (fromCatalog) {
                    retire();
                }
                throw e;
            }
        }
        leases++;
        lastUsedNanos = System.nanoTime();
        return new Lease(this, db);
    }

    /** The open database, opened now if it is closed (a configured database at start-up). */
    synchronized VfsDatabase openNow() {
        if (db == null && !retired) {
            try {
                open();
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
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

    private void open() throws IOException {
        Opened o = opener.open();
        VfsDatabase d = o.db();
        d.start();
        location = o.location();
        catalog = o.catalog();
        polling = o.polling();
        lastPollNanos = System.nanoTime(); // the index build is the first poll
        db = d;
        if (polling.mode() == Mode.BACKGROUND) {
            pollJob = registry.schedulePolls(name, polling.interval(), () -> poll(d));
        }
        registry.opened(this, d);
    }

    /** One background poll; completes (never exceptionally) when it is done, so a scheduler can skip overlapping ticks. */
    private CompletableFuture<?> poll(VfsDatabase d) {
        try {
            lastPollNanos = System.nanoTime();
            return d.poll().handle((advanced, e) -> {
                if (e != null) {
                    DatabaseRegistry.LOG.log(Level.WARNING, "database '" + name + "': poll failed, retrying next tick: "
                            + rootMessage(e));
                }
                return null;
            });
        } catch (RuntimeException e) {
            DatabaseRegistry.LOG.log(Level.WARNING, "database '" + name + "': poll failed: " + rootMessage(e));
            return CompletableFuture.completedFuture(null);
        }
    }

    private void stopPolls(AutoCloseable job) {
        try {
            job.close();
        } catch (Exception e) {
            DatabaseRegistry.LOG.log(Level.WARNING, "database '" + name + "': stopping its polls failed: " + e);
        }
    }

    /**
     * On demand: polls {@code d} when the last poll is older than the interval (concurrent callers
     * wait for the same poll), waiting at most {@code wait}. A failed or slow poll is not an error:
     * the read goes on with the state it has, and the lag says how old that is.
     */
    void pollIfDue(VfsDatabase d, Duration wait) {
        Polling p = polling;
        if (p == null || p.mode() != Mode.ON_DEMAND) {
            return;
        }
        CompletableFuture<Boolean> f;
        synchronized (this) {
            if (d != db) {
                return;
            }
            f = pollInFlight;
            if (f == null || f.isDone()) {
                if (System.nanoTime() - lastPollNanos < p.interval().toNanos()) {
                    return;
                }
                lastPollNanos = System.nanoTime();
                pollInFlight = f = d.poll();
            }
        }
        try {
            f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            DatabaseRegistry.LOG.log(Level.DEBUG, "database '" + name + "': on-demand poll did not finish: " + rootMessage(e));
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException
                || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /**
     * Closes the database: its poll stops, its attachments and the database itself are closed.
     * With {@code remove} the name stops being served and leases do not hold it open; without,
     * nothing happens while a lease is held.
     */
    void close(boolean remove) {
        VfsDatabase d;
        List<AutoCloseable> closing;
        synchronized (this) {
            if (remove) {
                retired = true;
            }
            d = db;
            if (d == null || (!remove && leases > 0)) {
                if (remove && fromCatalog) {
                    registry.forget(this);
                }
                return;
            }
            db = null;
            leases = 0;
            if (pollJob != null) {
                stopPolls(pollJob);
                pollJob = null;
            }
            if (pollInFlight != null) {
                pollInFlight = null;
            }
            closing = new ArrayList<>(attachments.values());
            attachments.clear();
            if (fromCatalog) {
                retire();
            }
        }
        for (AutoCloseable a : closing) {
            try {
                a.close();
            } catch (Exception e) {
                DatabaseRegistry.LOG.log(Level.WARNING, "closing a resource of database '" + name + "' failed", e);
            }
        }
        try {
            d.close();
        } finally {
            registry.closed(this, d);
        }
    }

    private void retire() {
        retired = true;
        registry.forget(this);
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }
}
