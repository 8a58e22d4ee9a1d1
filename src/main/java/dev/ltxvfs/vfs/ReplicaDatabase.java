package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.HydrateMode;
import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.cache.ReadStream;
import dev.ltxvfs.cache.ReplicaPages;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.LiveReplica;
import dev.ltxvfs.index.NoLtxFilesException;
import dev.ltxvfs.index.TargetUnavailableException;
import dev.ltxvfs.store.ObjectNotFoundException;
import dev.ltxvfs.store.ReplicaStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A database served by the VFS from a Litestream replica: the live state kept by a
 * {@link LiveReplica}, point-in-time states built on demand, pages from the shared
 * {@link PageCache} through its {@link ReplicaPages}. One per database, shared by all its
 * connections. Once the index is first built, the database is hydrated into the cache if its
 * {@link HydrateMode} says so.
 */
public final class ReplicaDatabase implements VfsDatabase {
    private final String name;
    private final LiveReplica replica;
    private final ReplicaPages pages;
    private final HydrateMode hydrate;
    private final Duration openDeadline;
    private volatile CompletableFuture<IndexSnapshot> opening;
    private volatile SnapshotView live;

    /** A database that is not hydrated. */
    public ReplicaDatabase(String name, ReplicaStore store, PageCache cache, Duration readDeadline, Duration openDeadline) {
        this(name, store, cache, readDeadline, openDeadline, HydrateMode.OFF);
    }

    public ReplicaDatabase(String name, ReplicaStore store, PageCache cache, Duration readDeadline, Duration openDeadline,
            HydrateMode hydrate) {
        this(name, new LiveReplica(store), null, cache, readDeadline, openDeadline, hydrate);
    }

    /**
     * A database on a replica whose first index build is already under way ({@code firstIndex}),
     * started before there was a cache to serve pages from (the service's early start).
     */
    public ReplicaDatabase(String name, LiveReplica replica, CompletableFuture<IndexSnapshot> firstIndex, PageCache cache,
                           Duration readDeadline, Duration openDeadline, HydrateMode hydrate) {
        this.name = name;
        this.replica = replica;
        this.pages = new ReplicaPages(cache, replica.store(), readDeadline);
        this.hydrate = hydrate;
        if (firstIndex != null) {
            opening = hydrateOnceIndexed(firstIndex);
        }
        this.openDeadline = openDeadline;
    }

    /** Starts building the index without waiting; {@link #current()} waits for it when needed. */
    @Override
    public synchronized CompletableFuture<IndexSnapshot> start() {
        CompletableFuture<IndexSnapshot> f = opening;
        if (f == null || (f.isCompletedExceptionally() && replica.current() == null)) {
            opening = f = hydrateOnceIndexed(replica.rebuild().subscribeAsCompletionStage());
        }
        return f;
    }

    /**
     * When {@code index} is built, starts reading ahead of queries: page 1 and the schema, and
     * as far as the hydrate mode says beyond; returns {@code index}.
     */
    private CompletableFuture<IndexSnapshot> hydrateOnceIndexed(CompletableFuture<IndexSnapshot> index) {
        index.thenAccept(s -> pages.hydrate(replica::current, hydrate));
        return index;
    }

    /** Polls for new level-0 files; completes with true when the database advanced. */
    @Override
    public CompletableFuture<Boolean> poll() {
        return replica.poll().subscribeAsCompletionStage();
    }

    @Override
    public String name() {
        return name;
    }

    public LiveReplica replica() {
        return replica;
    }

    public HydrateMode hydrateMode() {
        return hydrate;
    }

    /** Percent of the database hydration has read into the cache; 0 when it is not hydrated. */
    @Override
    public double hydrationProgress() {
        return pages.hydrationProgress();
    }

    @Override
    public ReadStream newStream() {
        return pages.newStream();
    }

    public boolean ready() {
        return replica.current() != null;
    }

    @Override
    public ReplicaView current() throws IOException {
        IndexSnapshot s = replica.current();
        if (s == null) {
            s = await(start(), openDeadline, "opening database '" + name + "'");
        }
        SnapshotView v = live;
        if (v == null || v.snapshot() != s) {
            live = v = new SnapshotView(s, pages, this::replanExactly);
        }
        return v;
    }

    @Override
    public ReplicaView at(String when) throws IOException {
        Instant t = TimeSpec.parse(when, Instant.now());
        // A time before the oldest state fails in await() with a PointInTimeException naming it.
        return new SnapshotView(await(replica.at(t).subscribeAsCompletionStage(), openDeadline,
                "database '" + name + "' at " + t), pages, this::replanExactly);
    }

    @Override
    public ReplicaView atTxid(long txid) throws IOException {
        ReplicaView live = current();
        if (live.txid() == txid) {
            return live;
        }
        String what = String.format("database '%s' at TXID %016x", name, txid);
        IndexSnapshot s = await(replica.atTxid(txid).subscribeAsCompletionStage(), openDeadline, what);
        if (s.txid() != txid) {
            throw new PointInTimeException(what + ": the replica no longer holds files that reach exactly that state", null);
        }
        return new SnapshotView(s, pages, this::replanExactly);
    }

    /**
     * The same state as {@code s} built from a fresh plan, after an object it used vanished. If
     * the replica no longer holds files that reach exactly that TXID, the read fails (and the live
     * state is rebuilt so the next transaction works).
     */
    IndexSnapshot replanExactly(IndexSnapshot s, ObjectNotFoundException cause) throws IOException {
        replica.replans.increment();
        IndexSnapshot same;
        try {
            same = await(replica.atTxid(s.txid()).subscribeAsCompletionStage(), openDeadline, "re-planning after " + cause.getMessage());
        } catch (IOException | RuntimeException e) { // PointInTimeException when the TXID is gone
            same = null;
        }
        if (same == null || same.txid() != s.txid()) {
            replica.rebuild().subscribe().with(x -> { }, x -> { });
            throw new IOException(String.format("the state at TXID %016x of '%s' is gone from the replica (%s); retry the query",
                    s.txid(), name, cause.getMessage()), cause);
        }
        replica.replace(s, same); // when s is the live state; a historical one is nobody else's
        return same;
    }

    /** The last build found no LTX files at all: the replica was deleted. */
    @Override
    public boolean gone() {
        for (Throwable t = replica.lastFailure(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoLtxFilesException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public long lagSeconds() {
        return replica.lagSeconds();
    }

    private static IndexSnapshot await(CompletableFuture<IndexSnapshot> f, Duration deadline, String what) throws IOException {
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException(what + " took longer than " + deadline.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + " was interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof TargetUnavailableException || c instanceof NoLtxFilesException) {
                Instant oldest = c instanceof TargetUnavailableException tu ? tu.oldestAvailable() : null;
                throw (RuntimeException) new PointInTimeException(what + ": " + c.getMessage(),
                        oldest == null ? null : oldest.toString()).initCause(c);
            }
            if (c instanceof IOException io) {
                throw new IOException(what + ": " + io.getMessage(), io);
            }
            throw new IOException(what + ": " + c, c);
        }
    }

    @Override
    public void close() {
        pages.close();
        replica.store().close();
    }
}
