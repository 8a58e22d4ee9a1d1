package dev.ltxvfs.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.store.ReplicaStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The process-wide cache of decompressed pages, shared by every connection and database,
 * bounded in bytes, keyed by frame identity ({@link FrameKey}). Databases read it through a
 * {@link ReplicaPages}.
 *
 * <p>Caffeine holds only decoded pages, weighed in bytes. Its W-TinyLFU admission keeps pages
 * read often (page 1, the schema, interior b-tree pages) through a scan that reads each leaf
 * once: a page prefetched but never read enters with the lowest frequency. Fetches in flight
 * are kept apart ({@link InFlight}).
 *
 * <p>Hydration's GETs do not claim their frames one by one (some 16,000 claims per 64 MiB took more
 * CPU than the frames' LZ4 decoding, in the seconds after a cold start when every core is busy):
 * each GET stands whole in {@link InFlight} until decoded; a demand miss checks it after
 * claiming its frame, and takes its page from that GET's bytes (which come in well before they are
 * decoded, {@link DecodeGate}). Hydration's decoded pages go straight to the cache.
 *
 * <p>A demand miss also claims the following frames when they are adjacent in the same file and
 * neither cached nor in flight, up to {@link #DEMAND_RUN_BYTES}: one GET costs the same for 4 KiB
 * or 64 KiB. Growing readahead of sequential reads is {@link ReadStream}'s.
 *
 * <p>Memory: decoded pages, cached or fetched ahead and not yet read, stay within {@code maxBytes}
 * (those fetched ahead take up to the readahead budget of it). Compressed bytes of GETs are not
 * counted: up to the readahead budget in flight per database that is scanning, and for hydration,
 * of all databases together, up to half of {@code maxBytes} (sent, or in and not yet decoded:
 * {@link HydrationPermits}).
 *
 * <p>Pages handed out are shared: do not modify them.
 */
public final class PageCache {

    /** Weight added to each page for its key, entry and array header. */
    static final int ENTRY_OVERHEAD = 160;
    /** Adjacent frames a demand miss fetches with its own; also readahead's first window. */
    public static final int DEMAND_RUN_BYTES = 64 * 1024;
    /** The largest readahead window, reached by doubling from {@link #DEMAND_RUN_BYTES}. */
    public static final int DEFAULT_READAHEAD_MAX_BYTES = 8 << 20;
    /** Readahead bytes in flight per database. */
    public static final long DEFAULT_READAHEAD_BUDGET_BYTES = 32L << 20;

    private final Cache<FrameKey, byte[]> pages;
    /**
     * Entries the cache and its claims are made for up front, at most: a readahead budget of
     * frames is in flight at 4 KiB pages, and hydration fills the cache with a whole database.
     * Grown from 16 entries instead, each map resized a dozen times while hydration claimed and
     * cached, and in a cold JVM those resizes run in the interpreter (their loops end before they
     * are compiled): as much of hydration's CPU as the LZ4 decoding (JFR, bench-read-path.sh).
     */
    static final int PRESIZED_ENTRIES = 1 << 15;

    private final InFlight inFlight;
    private final long maxBytes;
    private final int readaheadMaxBytes;
    private final long readaheadBudgetBytes;
    private final Map<ReplicaStore, Integer> storeIds = new WeakHashMap<>();
    /** Hydration's GETs of every database together. */
    final Semaphore hydrationPermits;
    private int nextStoreId;

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder fetches = new LongAdder();
    final LongAdder fetchFailures = new LongAdder();
    final LongAdder readaheadPages = new LongAdder();
    final LongAdder fetchedBytes = new LongAdder();

    /** A cache of a quarter of the maximum heap, with default readahead. */
    public PageCache() {
        this(defaultMaxBytes());
    }

    public PageCache(long maxBytes) {
        this(maxBytes, DEFAULT_READAHEAD_MAX_BYTES);
    }

    /** @param readaheadMaxBytes the largest readahead window; 0 fetches only the page asked for */
    public PageCache(long maxBytes, int readaheadMaxBytes) {
        this(maxBytes, readaheadMaxBytes, DEFAULT_READAHEAD_BUDGET_BYTES, ForkJoinPool.commonPool());
    }

    /**
     * @param readaheadBudgetBytes readahead bytes each database may have in flight
     * @param maintenance runs Caffeine's eviction work; tests pass {@code Runnable::run}
     */
    public PageCache(long maxBytes, int readaheadMaxBytes, long readaheadBudgetBytes, Executor maintenance) {
        if (maxBytes < 0 || readaheadMaxBytes < 0 || readaheadBudgetBytes < 0) {
            throw new IllegalArgumentException("maxBytes, readaheadMaxBytes and readaheadBudgetBytes must be >= 0");
        }
        this.maxBytes = maxBytes;
        this.readaheadMaxBytes = readaheadMaxBytes;
        this.readaheadBudgetBytes = readaheadBudgetBytes;
        this.pages = Caffeine.newBuilder()
                // Pages fetched ahead wait outside Caffeine, up to the readahead budget (InFlight.stage):
                // counted here, so decoded pages in all stay within maxBytes.
                .maximumWeight(maxBytes - readaheadBudgetBytes())
                .initialCapacity((int) Math.min(PRESIZED_ENTRIES, maxBytes / (4096 + ENTRY_OVERHEAD))) // 4 KiB pages
                .weigher((FrameKey k, byte[] page) -> page.length + ENTRY_OVERHEAD)
                .executor(maintenance)
                .recordStats()
                .build();
        this.inFlight = new InFlight(pages.asMap());
        this.hydrationPermits = HydrationPermits.of(this);
    }

    public static long defaultMaxBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * The largest readahead window: as configured, but at most 1/16 of the cache, so pages
     * fetched ahead are still there when the reader comes.
     */
    public int readaheadMaxBytes() {
        return (int) Math.min(readaheadMaxBytes, maxBytes / 16);
    }

    /** Readahead bytes one database may have in flight: as configured, at most 1/4 of the cache. */
    public long readaheadBudgetBytes() {
        return Math.min(readaheadBudgetBytes, maxBytes / 4);
    }

    /** The handle of {@code store}; the same store always gets the same id. */
    public StoreHandle register(ReplicaStore store) {
        synchronized (storeIds) {
            Integer id = storeIds.get(store);
            if (id == null) {
                id = nextStoreId++;
                storeIds.put(store, id);
            }
            return new StoreHandle(id, store);
        }
    }

    /** The page in {@code frame} if cached (counted as a hit), else null. */
    byte[] cached(StoreHandle store, FrameLocation frame) {
        byte[] page = pages.getIfPresent(key(store, frame));
        if (page != null) {
            hits.increment();
        }
        return page;
    }

    /** Whether the page in {@code frame} is cached, without counting or touching its frequency. */
    boolean holds(StoreHandle store, FrameLocation frame) {
        return pages.asMap().containsKey(key(store, frame));
    }

    /**
     * The page in {@code frame} of {@code snapshot}, fetched with the adjacent frames of its file
     * that nobody has, unless a demand or readahead fetch of it is already in flight (then that
     * one's future). Inside a hydration GET in flight, a sequential reader waits for that GET's
     * bytes; any other reads the page itself too and takes whichever comes first, so a query never
     * waits behind hydration.
     */
    CompletableFuture<byte[]> demand(StoreHandle store, IndexSnapshot snapshot, FrameLocation frame, boolean joinHydration) {
        FrameKey key = key(store, frame);
        if (joinHydration) {
            HydrationRead hydration = inFlight.hydrating(store, frame);
            if (hydration != null && inFlight.get(key) == null) {
                hits.increment();
                return rideAlong(store, snapshot, frame, key, hydration.body());
            }
        }
        Claim mine = new Claim(Claim.Kind.DEMAND);
        Claim found;
        while ((found = inFlight.claim(key, mine)) == null) {
            byte[] page = pages.getIfPresent(key);
            if (page != null) { // cached since the caller looked
                hits.increment();
                return CompletableFuture.completedFuture(page);
            }
        }
        if (found != mine) {
            hits.increment(); // joins the fetch in flight
            if (found.kind == Claim.Kind.READAHEAD) { // fetched ahead, or about to be: the reader admits it
                Claim ahead = found;
                found.thenAccept(page -> promote(key, ahead, page));
            }
            return found;
        }
        FrameFetch.Claimed claimed = new FrameFetch.Claimed(key, frame, mine);
        HydrationRead hydration = inFlight.hydrating(store, frame);
        if (hydration != null) {
            misses.increment();
            race(store, snapshot.pageSize(), claimed, hydration.body());
            return mine;
        }
        misses.increment();
        List<FrameFetch.Claimed> run = new ArrayList<>();
        run.add(claimed);
        int budget = Math.min(DEMAND_RUN_BYTES, readaheadMaxBytes);
        long end = frame.end();
        for (FrameLocation next : snapshot.framesAfter(frame.pgno(), Math.max(0, budget / snapshot.pageSize()))) {
            if (!next.file().equals(frame.file()) || next.offset() != end || next.end() - frame.offset() > budget
                    || inFlight.hydrating(store, next) != null) {
                break;
            }
            Claim ahead = new Claim(Claim.Kind.DEMAND);
            FrameKey nextKey = key(store, next);
            if (inFlight.claim(nextKey, ahead) != ahead) {
                break; // cached or being fetched: the run ends here
            }
            run.add(new FrameFetch.Claimed(nextKey, next, ahead));
            end = next.end();
        }
        readaheadPages.add(run.size() - 1);
        fetch(store, snapshot.pageSize(), run);
        return mine;
    }

    /**
     * The page in {@code frame}, decoded from a hydration GET's bytes when they are in, for a
     * sequential reader: it stands in no map (a random reader must not join it and so wait behind
     * hydration). Hydration's failure never fails the reader: it then reads the page itself.
     */
    private CompletableFuture<byte[]> rideAlong(StoreHandle store, IndexSnapshot snapshot, FrameLocation frame,
            FrameKey key, CompletableFuture<FrameFetch.Body> body) {
        return body.handle((b, e) -> {
            if (e == null) {
                try {
                    byte[] page = b.decode(frame);
                    pages.put(key, page);
                    return CompletableFuture.completedFuture(page);
                } catch (IOException | RuntimeException undecodable) {
                    // read on its own below: that read's outcome is the reader's
                }
            }
            return demand(store, snapshot, frame, false);
        }).thenCompose(page -> page);
    }

    /**
     * Settles {@code mine} from a hydration GET's bytes if they are in, else from whichever comes
     * first, its own GET or those bytes: a big hydration GET may arrive before a new small one
     * would (it was sent earlier); it may also be queued behind others. The reader takes both
     * chances, and the failure of hydration's never fails it.
     */
    private void race(StoreHandle store, int pageSize, FrameFetch.Claimed mine,
            CompletableFuture<FrameFetch.Body> body) {
        if (body.state() == Future.State.SUCCESS && takeFrom(mine, body.resultNow())) {
            return;
        }
        fetch(store, pageSize, List.of(mine));
        body.thenAccept(b -> takeFrom(mine, b));
    }

    /** Settles {@code mine} with its page decoded from {@code body}; false if it does not decode. */
    private boolean takeFrom(FrameFetch.Claimed mine, FrameFetch.Body body) {
        if (mine.future().isDone()) {
            return true; // its own GET came first
        }
        byte[] page;
        try {
            page = body.decode(mine.frame());
        } catch (IOException | RuntimeException e) {
            return false;
        }
        settle(mine, page, null);
        return true;
    }

    /**
     * Claims, as {@code kind} (demand or readahead), every frame of {@code frames} that is neither
     * cached nor in flight (hydration's GETs included).
     */
    List<FrameFetch.Claimed> claimAll(StoreHandle store, List<FrameLocation> frames, Claim.Kind kind) {
        List<FrameFetch.Claimed> out = new ArrayList<>();
        for (FrameLocation f : frames) {
            FrameKey key = key(store, f);
            Claim c = new Claim(kind);
            if (inFlight.hydrating(store, f) == null && inFlight.claim(key, c) == c) {
                out.add(new FrameFetch.Claimed(key, f, c));
            }
        }
        return out;
    }

    /**
     * The frames of {@code frames} neither cached nor in flight, each with a hydration claim that
     * stands in no map: two lookups per frame, where a claim was two more writes.
     */
    List<FrameFetch.Claimed> unclaimed(StoreHandle store, List<FrameLocation> frames) {
        Map<FrameKey, byte[]> cached = pages.asMap();
        List<FrameFetch.Claimed> out = new ArrayList<>();
        for (FrameLocation f : frames) {
            FrameKey key = key(store, f);
            if (!cached.containsKey(key) && inFlight.get(key) == null) {
                out.add(new FrameFetch.Claimed(key, f, new Claim(Claim.Kind.HYDRATION)));
            }
        }
        return out;
    }

    /** The page in {@code frame} if cached, or the read of it in flight; null if neither. */
    CompletableFuture<byte[]> present(StoreHandle store, FrameLocation frame) {
        FrameKey key = key(store, frame);
        byte[] page = pages.getIfPresent(key);
        Claim c = page == null ? inFlight.get(key) : null;
        if (page == null && c == null) {
            page = pages.getIfPresent(key); // a read settled between the two looks: cached first, then unclaimed
        }
        return page != null ? CompletableFuture.completedFuture(page) : c;
    }

    /** One ranged read of claimed frames of one file, in offset order, decoded where the read completes. */
    CompletableFuture<Void> fetch(StoreHandle store, int pageSize, List<FrameFetch.Claimed> frames) {
        fetches.increment();
        fetchedBytes.add(FrameFetch.span(frames));
        return FrameFetch.start(store.store(), pageSize, frames, this::settle, Runnable::run,
                new CompletableFuture<>());
    }

    /**
     * One hydration GET of frames of one file ({@link #unclaimed}, in offset order), decoded on
     * {@code decodeOn}; in flight from before it is sent until it is decoded.
     */
    HydrationRead hydrate(StoreHandle store, int pageSize, List<FrameFetch.Claimed> frames, Executor decodeOn) {
        fetches.increment();
        fetchedBytes.add(FrameFetch.span(frames));
        HydrationRead read = new HydrationRead(store.id(), frames.getFirst().frame().file(),
                frames.getFirst().frame().offset(), frames.getLast().frame().end(), new CompletableFuture<>(),
                new CompletableFuture<>());
        inFlight.add(read);
        FrameFetch.start(store.store(), pageSize, frames, this::settle, decodeOn, read.body()).whenComplete((v, e) -> {
            inFlight.remove(read);
            read.decoded().complete(null);
        });
        return read;
    }

    /** Every fetch reports here: cache the page before ending the claim, so no reader finds neither. */
    private void settle(FrameFetch.Claimed c, byte[] page, Throwable failure) {
        if (c.future().kind == Claim.Kind.HYDRATION) { // in no map: hydration counts it
            if (page != null) {
                pages.put(c.key(), page);
                c.future().complete(page);
            } else {
                fetchFailures.increment();
                c.future().completeExceptionally(failure);
            }
        } else if (page != null && c.future().kind == Claim.Kind.READAHEAD) {
            // Outside the cache until read: a scan larger than the cache must not push out what
            // others read often, and the cache's admission would turn away a page nobody has read.
            inFlight.stage(c, Math.max(16, readaheadBudgetBytes() / page.length));
            c.future().complete(page);
        } else if (page != null) {
            pages.put(c.key(), page);
            inFlight.end(c.key(), c.future());
            c.future().complete(page);
        } else {
            fetchFailures.increment(); // nothing is cached: the next request retries
            inFlight.end(c.key(), c.future());
            c.future().completeExceptionally(failure);
        }
    }

    /** A page fetched ahead has been read: into the cache with it. */
    private void promote(FrameKey key, Claim claim, byte[] page) {
        if (inFlight.end(key, claim)) {
            pages.put(key, page);
        }
    }

    /** Drops every page of one replica, e.g. when it is closed. */
    public void invalidate(StoreHandle store) {
        pages.asMap().keySet().removeIf(k -> k.store() == store.id());
    }

    public void invalidateAll() {
        pages.invalidateAll();
    }

    /** Runs pending eviction work now (tests; the bound is otherwise kept asynchronously). */
    void cleanUp() {
        pages.cleanUp();
    }

    public CacheStats stats() {
        long weight = pages.policy().eviction().orElseThrow().weightedSize().orElse(0);
        return new CacheStats(hits.sum(), misses.sum(), fetches.sum(), fetchFailures.sum(), readaheadPages.sum(),
                fetchedBytes.sum(), pages.stats().evictionCount(), pages.estimatedSize(), weight, maxBytes);
    }

    private static FrameKey key(StoreHandle store, FrameLocation f) {
        return new FrameKey(store.id(), f.file().level(), f.file().minTxid(), f.file().maxTxid(), f.offset());
    }
}
