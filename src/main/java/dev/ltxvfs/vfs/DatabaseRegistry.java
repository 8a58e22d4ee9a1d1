package dev.ltxvfs.vfs;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The one owner of every database this process serves: it opens, serves, polls and closes them.
 * The VFS, the query runner and the REST resources look databases up here and keep no maps of
 * their own.
 *
 * <p>The public surface:
 * <ul>
 * <li>{@link #serve} a database under a name (opened and its index build started at once);
 *     {@link #fallbackTo} a replica for every name nothing else matches (opened on first use);
 *     {@link #remove} one.
 * <li>{@link #acquire} a {@link Lease} to use a database served under an exact name (the VFS also
 *     maps file names: a path or a .db suffix, and the fallback): it opens the database if it is closed,
 *     and while any lease is held the database is never closed (except by {@link #remove} or
 *     {@link #close}). A read transaction of the VFS holds one from SQLite's SHARED lock to its
 *     unlock; hold one longer (a stream that pins a snapshot across requests) to keep the database
 *     open as long. Close every lease exactly once.
 * <li>{@link Lease#attachment} keeps per-database resources of higher layers (a connection pool):
 *     created on first use, closed when the database closes.
 * <li>{@link #find} and {@link #served} describe what is served without opening anything;
 *     {@link #addListener} hears databases open and close (metrics).
 * </ul>
 *
 * <p>Polling: {@link Poll#BACKGROUND} polls every interval on the registry's timer thread (the
 * poll itself is non-blocking); {@link Poll#MANUAL} leaves it to the owner of the database
 * object ({@link VfsDatabase#poll()}).
 */
public final class DatabaseRegistry implements AutoCloseable {
    static final System.Logger LOG = System.getLogger("dev.ltxvfs.vfs.DatabaseRegistry");

    /** How a database is kept current. */
    public enum Poll { BACKGROUND, MANUAL }

    /** The polling of one database: its mode and interval. */
    public record Polling(Poll mode, Duration interval) {
        public static final Polling MANUAL = new Polling(Poll.MANUAL, Duration.ofSeconds(1));

        public static Polling background(Duration interval) {
            return new Polling(Poll.BACKGROUND, interval);
        }
    }

    /** What is served under a name: where it comes from, and the database while it is open (else null). */
    public record Served(String name, String location, Polling polling, VfsDatabase database) {}

    /** Hears databases open and close; called on the thread that opens or closes, must not block. */
    public interface Listener {
        void opened(String name, VfsDatabase db);

        void closed(String name, VfsDatabase db);
    }

    private final ConcurrentHashMap<String, RegistryEntry> entries = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private final dev.ltxvfs.cache.PageCache cache;
    private volatile RegistryEntry fallback;
    private volatile boolean closed;

    public DatabaseRegistry(dev.ltxvfs.cache.PageCache cache) {
        this.cache = cache;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ltxvfs-registry");
            t.setDaemon(true);
            return t;
        });
    }

    /** The page cache every database of this registry shares. */
    public dev.ltxvfs.cache.PageCache cache() {
        return cache;
    }

    /**
     * Serves the database {@code open} makes under {@code name}, opening it now; a database served
     * under the same name before is closed.
     *
     * @param location where it comes from, without credentials (for listings and logs)
     */
    public <D extends VfsDatabase> D serve(String name, String location, Supplier<D> open, Polling polling) {
        requireOpen();
        RegistryEntry entry = new RegistryEntry(this, name, location, open, polling);
        RegistryEntry old = entries.put(name, entry);
        if (old != null) {
            old.close(true);
        }
        @SuppressWarnings("unchecked")
        D db = (D) entry.openNow();
        return db;
    }

    /** Serves {@code open}'s database for every name nothing else matches, opened on first use. */
    public void fallbackTo(String location, Supplier<? extends VfsDatabase> open, Polling polling) {
        requireOpen();
        RegistryEntry old = fallback;
        fallback = new RegistryEntry(this, "default", location, open, polling);
        if (old != null) {
            old.close(true);
        }
    }

    /** Stops serving {@code name} and closes it, even under leases (their next reads fail). */
    public void remove(String name) {
        RegistryEntry e = entries.remove(name);
        if (e != null) {
            e.close(true);
        }
    }

    /**
     * A lease on the database served as {@code name}, opening it if needed.
     *
     * @throws NoSuchDatabaseException when no database is served under the name
     */
    public Lease acquire(String name) throws IOException {
        requireOpen();
        RegistryEntry e = entries.get(name);
        if (e == null) {
            throw new NoSuchDatabaseException("no database named '" + name + "'");
        }
        return e.retain();
    }

    /** A lease on the database a VFS file name opens (see {@link #lookupFile}). */
    Lease acquireFile(String fileName) throws IOException {
        requireOpen();
        RegistryEntry e = lookupFile(fileName);
        if (e == null) {
            throw new NoSuchDatabaseException("no database named '" + fileName + "'");
        }
        return e.retain();
    }

    /** What is served as {@code name}, without opening anything; empty when nothing is. */
    public Optional<Served> find(String name) {
        RegistryEntry e = entries.get(name);
        return e == null ? Optional.empty() : Optional.of(e.served());
    }

    /** Whether a VFS file name opens a database. */
    boolean servesFile(String fileName) {
        return lookupFile(fileName) != null;
    }

    /** Every database served by name (not the fallback), sorted by name. */
    public List<Served> served() {
        return entries.values().stream().map(RegistryEntry::served).sorted(Comparator.comparing(Served::name)).toList();
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Closes every database and stops the timer; the registry serves nothing afterwards. */
    @Override
    public void close() {
        closed = true;
        for (String name : List.copyOf(entries.keySet())) {
            remove(name);
        }
        RegistryEntry f = fallback;
        if (f != null) {
            f.close(true);
        }
        timer.shutdownNow();
    }

    /**
     * The entry a file name SQLite opens reaches: the name exact, else without directories, else
     * without a .db/.sqlite suffix, else the fallback (as the Litestream VFS does).
     */
    private RegistryEntry lookupFile(String name) {
        RegistryEntry e = entries.get(name);
        if (e == null) {
            String base = name.substring(name.lastIndexOf('/') + 1);
            e = entries.get(base);
            if (e == null) {
                e = entries.get(base.replaceFirst("\\.(db|sqlite3?)$", ""));
            }
        }
        return e != null ? e : fallback;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the database registry is closed");
        }
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    void opened(RegistryEntry e, VfsDatabase db) {
        for (Listener l : listeners) {
            try {
                l.opened(e.name, db);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, "a registry listener failed on open of " + e.name, x);
            }
        }
    }

    void closed(RegistryEntry e, VfsDatabase db) {
        for (Listener l : listeners) {
            try {
                l.closed(e.name, db);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, "a registry listener failed on close of " + e.name, x);
            }
        }
    }
}
