package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.CatalogStore;
import dev.ltxvfs.store.ReplicaStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The one owner of every database this process serves: it opens, serves, polls and closes them.
 * The VFS, the query runner and the REST resources look databases up here and keep no maps of
 * their own.
 *
 * <p>The public surface:
 * <ul>
 * <li>{@link #serve} a database under a name (opened now and kept open), or
 *     {@link #serveUntilIdle} (opened now, closed when idle, opened again by its next use);
 *     {@link #addCatalog} a prefix whose folders are databases (opened on first use, closed when idle);
 *     {@link #fallbackTo} a replica for every file name nothing else matches (VFS only);
 *     {@link #remove} a name.
 * <li>{@link #acquire} a {@link Lease} to use a database. It opens the database if needed
 *     (concurrent first uses share one open) and, while any lease is held, the database is never
 *     closed (except by {@link #remove} or {@link #close}). A read transaction of the VFS holds
 *     one from SQLite's SHARED lock to its unlock; hold one longer (a stream that pins a snapshot
 *     across requests) to keep the database open as long. Close every lease exactly once.
 * <li>{@link Lease#attachment} keeps per-database resources of higher layers (a connection pool):
 *     made on first use, closed when the database closes.
 * <li>{@link #find}, {@link #served}, {@link #catalogs} and {@link #listCatalog} describe what is
 *     served; {@link #addListener} hears databases open and close (metrics).
 * </ul>
 *
 * <p>Names: configured names win over catalogs; catalogs are searched in the order of their
 * names and the first whose folder holds a replica wins. A name a lookup could not find is
 * remembered as missing for {@link RegistryLimits#missMemory()} per catalog. Every requested name follows
 * {@link DatabaseNames} (400 otherwise).
 *
 * <p>Life: a catalog's database (and one served until idle) closes after {@link RegistryLimits#idleClose()} without a lease, and the
 * least recently used ones close when more than {@link RegistryLimits#maxOpen()} are open (never one under
 * a lease, so the bound can be exceeded while every open database is in use). Closing stops its
 * poll, closes its attachments (connections) and its store (client, threads, files) and drops
 * its pages from the shared cache. Configured databases stay open.
 *
 * <p>Polling: see {@link Polling}.
 */
public final class DatabaseRegistry implements AutoCloseable {
    static final System.Logger LOG = System.getLogger("dev.ltxvfs.vfs.DatabaseRegistry");

    /**
     * What is served under a name: where it comes from, its catalog (null for a configured
     * database), its polling, and the database while it is open (else null).
     */
    public record Served(String name, String location, String catalog, Polling polling, VfsDatabase database) {}

    /** Hears databases open and close; called on the thread that opens or closes, must not block. */
    public interface Listener {
        void opened(String name, VfsDatabase db);

        void closed(String name, VfsDatabase db);
    }

    private final ConcurrentHashMap<String, RegistryEntry> entries = new ConcurrentHashMap<>();
    private final Catalogs catalogs;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer;
    private final PollScheduler polls;
    private final AtomicInteger pollJobs = new AtomicInteger();
    private final PageCache cache;
    private final RegistryLimits limits;
    private final AtomicInteger openFromCatalogs = new AtomicInteger();
    private volatile RegistryEntry fallback;
    private volatile boolean closed;

    public DatabaseRegistry(PageCache cache) {
        this(cache, RegistryLimits.DEFAULTS);
    }

    public DatabaseRegistry(PageCache cache, RegistryLimits limits) {
        this(cache, limits, null);
    }

    /** @param polls drives background polls; null polls on the registry's own timer thread */
    public DatabaseRegistry(PageCache cache, RegistryLimits limits, PollScheduler polls) {
        this.cache = cache;
        this.limits = limits;
        this.catalogs = new Catalogs(limits.missMemory(), limits.openDeadline());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ltxvfs-registry");
            t.setDaemon(true);
            return t;
        });
        long sweep = Math.clamp(limits.idleClose().toMillis() / 4, 50, 30_000);
        timer.scheduleWithFixedDelay(this::closeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
        this.polls = polls != null ? polls : this::onTimer;
    }

    /** The default driver: the poll only starts on the timer thread (LiveReplica never overlaps polls). */
    private AutoCloseable onTimer(String id, Duration interval, Supplier<? extends CompletionStage<?>> poll) {
        long every = interval.toMillis();
        var job = timer.scheduleWithFixedDelay(poll::get, every, every, TimeUnit.MILLISECONDS);
        return () -> job.cancel(false);
    }

    /** Starts the background polls of one database; close the handle to stop them. */
    AutoCloseable schedulePolls(String name, Duration interval, Supplier<? extends CompletionStage<?>> poll) {
        return polls.every("ltxvfs-poll-" + name + "-" + pollJobs.incrementAndGet(), interval, poll);
    }

    /** The page cache every database of this registry shares. */
    public PageCache cache() {
        return cache;
    }

    public RegistryLimits limits() {
        return limits;
    }

    /**
     * Serves the database {@code open} makes under {@code name}, opening it now; a database served
     * under the same name before is closed.
     *
     * @param location where it comes from, without credentials (for listings and logs)
     */
    public <D extends VfsDatabase> D serve(String name, String location, Supplier<D> open, Polling polling) {
        return serve(name, location, open, polling, false);
    }

    /**
     * As {@link #serve}, but after {@link RegistryLimits#idleClose()} without a lease the database
     * closes (its polls stop, its store closes, its pages leave the cache) and the name stays
     * served: its next use opens a new one from {@code open}. For a client that may stop using a
     * database while its process lives on (the JDBC driver in a desktop tool): a background poll
     * would otherwise list the replica every interval for as long as the process runs.
     */
    public <D extends VfsDatabase> D serveUntilIdle(String name, String location, Supplier<D> open, Polling polling) {
        return serve(name, location, open, polling, true);
    }

    private <D extends VfsDatabase> D serve(String name, String location, Supplier<D> open, Polling polling, boolean untilIdle) {
        requireOpen();
        RegistryEntry entry = RegistryEntry.configured(this, name, location, open, polling, untilIdle);
        RegistryEntry old = entries.put(name, entry);
        if (old != null) {
            old.close(true);
        }
        @SuppressWarnings("unchecked")
        D db = (D) entry.openNow();
        return db;
    }

    /**
     * Serves every folder directly under {@code store}'s prefix that holds a replica as a database
     * named after the folder, made by {@code open} on first use; the registry closes {@code store}.
     */
    public void addCatalog(String catalog, CatalogStore store, Polling polling,
            BiFunction<String, ReplicaStore, ? extends VfsDatabase> open) {
        requireOpen();
        DatabaseNames.check(catalog);
        catalogs.add(new Catalogs.Catalog(catalog, store, polling, open::apply));
    }

    /** Serves {@code open}'s database for every VFS file name nothing else matches, opened on first use. */
    public void fallbackTo(String location, Supplier<? extends VfsDatabase> open, Polling polling) {
        requireOpen();
        RegistryEntry old = fallback;
        fallback = RegistryEntry.configured(this, "default", location, open, polling, false);
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
     * A lease on the database served as {@code name}, opening it if needed: configured, else found
     * in a catalog (one request per catalog at most, none for a name remembered as missing).
     *
     * @throws IllegalArgumentException when {@code name} breaks a rule of {@link DatabaseNames}
     * @throws NoSuchDatabaseException when no database is served under the name (with the reason)
     * @throws IOException when storage failed while looking for it (nothing is remembered)
     */
    public Lease acquire(String name) throws IOException {
        requireOpen();
        DatabaseNames.check(name);
        while (true) {
            RegistryEntry e = entries.get(name);
            if (e == null) {
                if (catalogs.isEmpty()) {
                    throw new NoSuchDatabaseException("no database named '" + name + "'");
                }
                catalogs.requireNotMissed(name);
                e = entries.computeIfAbsent(name, n -> RegistryEntry.fromCatalog(this, n, () -> catalogs.open(n)));
            }
            Lease lease = e.retain();
            if (lease == null) {
                continue; // closed and forgotten meanwhile: look again
            }
            if (e.fromCatalog() && lease.database().gone()) {
                // Deleted from storage: close it, then look again (404, or reopen if the folder came back).
                lease.close();
                e.close(true);
                continue;
            }
            if (e.fromCatalog()) {
                try {
                    closeOverflow();
                } catch (RuntimeException x) { // closing others must never fail this use
                    LOG.log(Level.WARNING, "closing least recently used databases failed", x);
                }
            }
            return lease;
        }
    }

    /**
     * A lease for a read transaction of the VFS on {@code fileName}: as {@link #acquireFile}, then
     * an on-demand poll when one is due.
     */
    Lease acquireForRead(String fileName) throws IOException {
        Lease lease = acquireFile(fileName);
        try {
            lease.pollIfDue(limits.pollWait());
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        return lease;
    }

    /**
     * A lease on the database a VFS file name opens: a served name exact, else without directories,
     * else without a .db/.sqlite suffix, else a catalog's folder of that base name, else the
     * fallback (as the Litestream VFS does).
     */
    Lease acquireFile(String fileName) throws IOException {
        requireOpen();
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        for (String n : new String[] {fileName, base, base.replaceFirst("\\.(db|sqlite3?)$", "")}) {
            RegistryEntry e = entries.get(n);
            if (e != null && !e.fromCatalog()) {
                Lease lease = e.retain();
                if (lease != null) {
                    return lease;
                }
            }
        }
        NoSuchDatabaseException missing = new NoSuchDatabaseException("no database named '" + DatabaseNames.printable(fileName) + "'");
        if (!catalogs.isEmpty() && DatabaseNames.problem(base) == null) {
            try {
                return acquire(base);
            } catch (NoSuchDatabaseException e) {
                missing = e;
            }
        }
        RegistryEntry f = fallback;
        Lease lease = f == null ? null : f.retain();
        if (lease == null) {
            throw missing;
        }
        return lease;
    }

    /** Whether a VFS file name reaches a configured database, an open one, or the fallback: no I/O. */
    boolean servesFile(String fileName) {
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        return fallback != null || entries.containsKey(fileName) || entries.containsKey(base)
                || entries.containsKey(base.replaceFirst("\\.(db|sqlite3?)$", ""));
    }

    /** What is served as {@code name} now, without opening anything; empty when nothing is (or not yet). */
    public Optional<Served> find(String name) {
        RegistryEntry e = entries.get(name);
        return e == null ? Optional.empty() : Optional.of(e.served());
    }

    /** The configured databases and the open ones of catalogs, sorted by name. */
    public List<Served> served() {
        return entries.values().stream().map(RegistryEntry::served)
                .filter(s -> s.catalog() == null || s.database() != null)
                .sorted(Comparator.comparing(Served::name)).toList();
    }

    /** How many databases are open now. */
    public int openCount() {
        return (int) entries.values().stream().filter(RegistryEntry::isOpen).count();
    }

    /** The catalogs by name, with where they read from. */
    public List<Served> catalogs() {
        return catalogs.all().stream().map(c -> new Served(c.name(), c.store().location(), c.name(), c.polling(), null)).toList();
    }

    /**
     * One page of the folders under a catalog's prefix (one request): the names a query may use,
     * not checked one by one to hold a replica. Folder names that break {@link DatabaseNames} are left out.
     *
     * @throws NoSuchDatabaseException for an unknown catalog
     */
    public CompletableFuture<CatalogStore.Page> listCatalog(String catalog, String token, int max) throws NoSuchDatabaseException {
        Catalogs.Catalog c = catalogs.get(catalog);
        if (c == null) {
            throw new NoSuchDatabaseException("no catalog named '" + DatabaseNames.printable(catalog) + "'");
        }
        return c.store().folders(token, max).subscribeAsCompletionStage().thenApply(p -> new CatalogStore.Page(
                p.folders().stream().filter(n -> DatabaseNames.problem(n) == null).toList(), p.next()));
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    /** Closes every database and catalog and stops the timer; the registry serves nothing afterwards. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        for (String name : List.copyOf(entries.keySet())) {
            remove(name);
        }
        RegistryEntry f = fallback;
        if (f != null) {
            f.close(true);
        }
        catalogs.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the database registry is closed");
        }
    }

    /** Closes catalog databases (and those served until idle) unused for longer than idle-close (never one under a lease). */
    private void closeIdle() {
        try {
            long now = System.nanoTime();
            long idle = limits.idleClose().toNanos();
            for (RegistryEntry e : entries.values()) {
                if (e.closesWhenIdle() && e.isOpen() && now - e.lastUsedNanos() > idle) {
                    e.close(false);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing idle databases failed; retrying next sweep", e);
        }
    }

    /** Closes the least recently used catalog databases without a lease while more than max-open are open. */
    private void closeOverflow() {
        if (openFromCatalogs.get() <= limits.maxOpen()) {
            return;
        }
        // Last use is read once per entry: it changes while we sort, and a comparator must not.
        record Used(RegistryEntry entry, long at) {}
        List<Used> lru = entries.values().stream().filter(RegistryEntry::fromCatalog).filter(RegistryEntry::isOpen)
                .map(e -> new Used(e, e.lastUsedNanos())).sorted(Comparator.comparingLong(Used::at)).toList();
        for (Used u : lru) {
            if (openFromCatalogs.get() <= limits.maxOpen()) {
                return;
            }
            u.entry().close(false);
        }
    }

    /** A closed catalog entry leaves the map: the next use opens a new one. */
    void forget(RegistryEntry e) {
        entries.remove(e.name, e);
    }

    void opened(RegistryEntry e, VfsDatabase db) {
        if (e.fromCatalog()) {
            openFromCatalogs.incrementAndGet();
        }
        for (Listener l : listeners) {
            try {
                l.opened(e.name, db);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, "a registry listener failed on open of " + e.name, x);
            }
        }
    }

    void closed(RegistryEntry e, VfsDatabase db) {
        if (e.fromCatalog()) {
            openFromCatalogs.decrementAndGet();
        }
        for (Listener l : listeners) {
            try {
                l.closed(e.name, db);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, "a registry listener failed on close of " + e.name, x);
            }
        }
    }
}
