package dev.ltxvfs.cache;

import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.ltx.LtxFrames;
import dev.ltxvfs.store.ReplicaStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One database's pages: the shared {@link PageCache} seen through one replica, with the
 * database's readahead byte budget and its {@link Hydration}. A page read is: the frame from the
 * pinned {@link IndexSnapshot}, the cache, else one ranged GET; the reader's {@link ReadStream}
 * meanwhile keeps readahead windows in flight.
 */
public final class ReplicaPages implements AutoCloseable {
    /** The largest readahead GET: windows are split so their parts download in parallel. */
    static final int READAHEAD_GET_BYTES = 1 << 20;
    /** Read through gaps up to this between frames of one file rather than pay a round trip. */
    static final int READAHEAD_MAX_GAP = 64 * 1024;

    private final PageCache cache;
    private final StoreHandle handle;
    private final Duration deadline;
    private final AtomicLong readaheadInFlight = new AtomicLong();
    private volatile Hydration hydration;

    public ReplicaPages(PageCache cache, ReplicaStore store, Duration readDeadline) {
        LtxFrames.loadInBackground(); // while the index is built: the first page read needs it
        this.cache = cache;
        this.handle = cache.register(store);
        this.deadline = readDeadline;
    }

    public PageCache cache() {
        return cache;
    }

    /** A reader's sequential-access tracker: one per connection. */
    public ReadStream newStream() {
        return new ReadStream(this::readahead, PageCache.DEMAND_RUN_BYTES, cache.readaheadMaxBytes());
    }

    /**
     * Page {@code pgno} of {@code snapshot}, waiting at most the read deadline on a miss; with a
     * {@code stream}, readahead follows the reader. The array is shared: do not modify it.
     *
     * @throws PageReadTimeoutException if the page did not arrive in time
     * @throws IOException if the page is not in the index or could not be fetched or decoded
     *     (an {@link dev.ltxvfs.store.ObjectNotFoundException} when its file is gone)
     */
    public byte[] page(IndexSnapshot snapshot, int pgno, ReadStream stream) throws IOException {
        FrameLocation frame = snapshot.frame(pgno);
        if (frame == null) {
            throw new IOException(String.format("page %d is not in the index of %s at TXID %016x (database has %d pages)",
                    pgno, handle.store().location(), snapshot.txid(), snapshot.commit()));
        }
        byte[] hit = cache.cached(handle, frame);
        if (hit != null) {
            if (stream != null && stream.following()) {
                stream.onRead(snapshot, pgno, true); // inside a run that missed: keeps its windows ahead
            }
            return hit;
        }
        boolean sequential = stream != null && stream.onRead(snapshot, pgno, false);
        CompletableFuture<byte[]> miss = cache.demand(handle, snapshot, frame, sequential);
        try {
            return await(miss, pgno);
        } catch (IOException e) {
            if (miss instanceof Claim c && c.kind == Claim.Kind.READAHEAD && !(e instanceof PageReadTimeoutException)) {
                // A readahead read failed: the page is ours to fetch now (its failure then is final).
                return await(cache.demand(handle, snapshot, frame, false), pgno);
            }
            throw e;
        }
    }

    /** Starts the reads of pages {@code from..from+count-1} that nobody has, if the budget allows. */
    private boolean readahead(IndexSnapshot snapshot, int from, int count) {
        List<FrameLocation> frames = snapshot.framesAfter(from - 1, count);
        long bytes = 0;
        for (FrameLocation f : frames) {
            bytes += f.size();
        }
        long inFlight = readaheadInFlight.get();
        if (inFlight > 0 && inFlight + bytes > cache.readaheadBudgetBytes()) {
            return false; // retried on a later read
        }
        List<FrameFetch.Claimed> claimed = cache.claimAll(handle, frames, Claim.Kind.READAHEAD);
        cache.readaheadPages.add(claimed.size());
        for (List<FrameFetch.Claimed> range : FrameRanges.of(claimed, READAHEAD_GET_BYTES, READAHEAD_MAX_GAP)) {
            long span = FrameFetch.span(range);
            readaheadInFlight.addAndGet(span);
            cache.fetch(handle, snapshot.pageSize(), range).whenComplete((v, e) -> readaheadInFlight.addAndGet(-span));
        }
        return true;
    }

    /** Readahead bytes in flight now. */
    public long readaheadInFlight() {
        return readaheadInFlight.get();
    }

    /**
     * Starts reading ahead of queries (once) as far as {@code mode} says, in the background:
     * page 1 and the schema at once, then the hot set, then the whole database, following the
     * state {@code current} supplies as it advances.
     */
    public synchronized void hydrate(Supplier<IndexSnapshot> current, HydrateMode mode) {
        if (hydration == null) {
            hydration = new Hydration(cache, handle, current, mode, deadline.toNanos());
            hydration.start();
        }
    }

    /** Percent of the database's pages hydration has put in the cache; 0 when it does not read the whole database. */
    public double hydrationProgress() {
        Hydration h = hydration;
        return h == null || !h.whole() ? 0 : h.progress();
    }

    private byte[] await(CompletableFuture<byte[]> f, int pgno) throws IOException {
        try {
            return f.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new PageReadTimeoutException("page " + pgno + " from " + handle.store().location()
                    + " did not arrive within " + deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for page " + pgno);
        } catch (ExecutionException e) {
            // Keep the type (ObjectNotFoundException tells the caller to re-plan); the message
            // already names the file.
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot read page " + pgno + " from " + handle.store().location()
                    + ": " + e.getCause(), e.getCause());
        }
    }

    /** Stops hydration and drops this database's pages from the shared cache. */
    @Override
    public void close() {
        Hydration h = hydration;
        if (h != null) {
            h.stop();
        }
        cache.invalidate(handle);
    }
}
