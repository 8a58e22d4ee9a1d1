package dev.ltxvfs.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.index.PageIndex;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The process-wide cache of decompressed pages, shared by every connection and database,
 * bounded in bytes, keyed by frame identity ({@link FrameKey}).
 *
 * <p>Caffeine holds only decoded pages, weighed in bytes. Fetches in flight live in a separate
 * map: a miss installs its future there before it reads, so concurrent misses on one frame wait
 * for the same single read, and a failed fetch simply leaves the map: nothing failed is ever
 * cached, the next request retries. (Caffeine's async loading would coalesce too, but it logs a
 * stack trace for every failed load.) The read is non-blocking; the frame is decoded, checking
 * it holds the page the index promised, on the thread that completes it.
 *
 * <p>Readahead: a miss also claims the following pages when their frames are adjacent in the
 * same file and neither cached nor in flight, and fetches them all with one ranged read. A
 * sequential scan then costs one GET per {@link #readaheadBytes()} of frames, not one per page.
 *
 * <p>Pages handed out by {@link #page} and {@code pageAsync} are shared: do not modify them.
 */
public final class PageCache {

    /** Weight added to each page for its key, entry and array header. */
    static final int ENTRY_OVERHEAD = 160;
    /** Readahead per miss; one S3 GET costs the same for 4 KiB or 64 KiB, latency dominates. */
    public static final int DEFAULT_READAHEAD_BYTES = 64 * 1024;

    private final Cache<FrameKey, byte[]> pages;
    private final ConcurrentHashMap<FrameKey, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    private final long maxBytes;
    private final int readaheadBytes;
    private final Map<ReplicaStore, Integer> storeIds = new WeakHashMap<>();
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
        this(maxBytes, DEFAULT_READAHEAD_BYTES);
    }

    /** @param readaheadBytes most bytes one miss fetches; 0 fetches only the page asked for */
    public PageCache(long maxBytes, int readaheadBytes) {
        this(maxBytes, readaheadBytes, ForkJoinPool.commonPool());
    }

    /** @param maintenance runs Caffeine's eviction work; tests pass {@code Runnable::run} */
    PageCache(long maxBytes, int readaheadBytes, Executor maintenance) {
        if (maxBytes < 0 || readaheadBytes < 0) {
            throw new IllegalArgumentException("maxBytes and readaheadBytes must be >= 0");
        }
        this.maxBytes = maxBytes;
        this.readaheadBytes = readaheadBytes;
        this.pages = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((FrameKey k, byte[] page) -> page.length + ENTRY_OVERHEAD)
                .executor(maintenance)
                .recordStats()
                .build();
    }

    public static long defaultMaxBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int readaheadBytes() {
        return readaheadBytes;
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

    /**
     * Page {@code pgno} of {@code snapshot}, waiting at most {@code deadline} on a miss. The hot
     * path (a cached page) allocates nothing.
     *
     * @throws PageReadTimeoutException if the page did not arrive in time
     * @throws IOException if the page is not in the index or could not be fetched or decoded
     *     (an {@link dev.ltxvfs.store.ObjectNotFoundException} when its file is gone)
     */
    public byte[] page(StoreHandle store, IndexSnapshot snapshot, int pgno, Duration deadline) throws IOException {
        byte[] hit = cached(store, snapshot, pgno);
        return hit != null ? hit : await(miss(store, snapshot, pgno), store, pgno, deadline);
    }

    /** Copies page {@code pgno} of {@code snapshot} into {@code dst[dstOff..+pageSize)}. */
    public void readPage(StoreHandle store, IndexSnapshot snapshot, int pgno, byte[] dst, int dstOff,
            Duration deadline) throws IOException {
        byte[] page = page(store, snapshot, pgno, deadline);
        System.arraycopy(page, 0, dst, dstOff, page.length);
    }

    /** Page {@code pgno} of {@code snapshot}, with readahead of the frames that follow it. */
    public CompletableFuture<byte[]> pageAsync(StoreHandle store, IndexSnapshot snapshot, int pgno) {
        byte[] hit = cached(store, snapshot, pgno);
        return hit != null ? CompletableFuture.completedFuture(hit) : miss(store, snapshot, pgno);
    }

    /** Copies the page in {@code frame}, page {@code pgno}, into {@code dst[0..pageSize)}; no readahead. */
    public void readPage(ReplicaStore store, FrameLocation frame, int pgno, int pageSize, byte[] dst,
            Duration deadline) throws IOException {
        StoreHandle handle = register(store);
        byte[] page = await(pageAsync(handle, frame, pgno, pageSize), handle, pgno, deadline);
        System.arraycopy(page, 0, dst, 0, pageSize);
    }

    /** The page in {@code frame}, which must hold page {@code pgno}; no readahead. */
    public CompletableFuture<byte[]> pageAsync(StoreHandle store, FrameLocation frame, int pgno, int pageSize) {
        FrameKey key = key(store, frame.file(), frame.offset());
        byte[] hit = pages.getIfPresent(key);
        if (hit != null) {
            hits.increment();
            return CompletableFuture.completedFuture(hit);
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> found = claim(key, mine);
        if (found != mine) {
            hits.increment();
            return found;
        }
        misses.increment();
        new FrameFetch(this, store, frame.file(), pageSize,
                List.of(new FrameFetch.Frame(key, pgno, frame.offset(), frame.size(), mine))).start();
        return mine;
    }

    private byte[] cached(StoreHandle store, IndexSnapshot snapshot, int pgno) {
        PageIndex idx = snapshot.pages();
        int fileId = idx.fileId(pgno);
        if (fileId < 0) {
            return null;
        }
        byte[] page = pages.getIfPresent(key(store, snapshot.file(fileId), idx.offset(pgno)));
        if (page != null) {
            hits.increment();
        }
        return page;
    }

    private CompletableFuture<byte[]> miss(StoreHandle store, IndexSnapshot snapshot, int pgno) {
        PageIndex idx = snapshot.pages();
        int fileId = idx.fileId(pgno);
        if (fileId < 0) {
            return CompletableFuture.failedFuture(new IOException(String.format(
                    "page %d is not in the index of %s at TXID %016x (database has %d pages)",
                    pgno, store.store().location(), snapshot.txid(), snapshot.commit())));
        }
        LtxFileInfo file = snapshot.file(fileId);
        long offset = idx.offset(pgno);
        FrameKey key = key(store, file, offset);
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> found = claim(key, mine);
        if (found != mine) {
            hits.increment();
            return found;
        }
        misses.increment();
        List<FrameFetch.Frame> frames = new ArrayList<>();
        frames.add(new FrameFetch.Frame(key, pgno, offset, idx.frameSize(pgno), mine));
        long end = offset + idx.frameSize(pgno);
        for (int next = pgno + 1; next > 0; next++) {
            int size = idx.frameSize(next);
            if (idx.fileId(next) != fileId || idx.offset(next) != end || end + size - offset > readaheadBytes) {
                break;
            }
            FrameKey nextKey = key(store, file, end);
            CompletableFuture<byte[]> ahead = new CompletableFuture<>();
            if (claim(nextKey, ahead) != ahead) {
                break; // cached or being fetched: the run ends here
            }
            frames.add(new FrameFetch.Frame(nextKey, next, end, size, ahead));
            end += size;
        }
        readaheadPages.add(frames.size() - 1);
        new FrameFetch(this, store, file, snapshot.pageSize(), frames).start();
        return mine;
    }

    private static byte[] await(CompletableFuture<byte[]> f, StoreHandle store, int pgno, Duration deadline)
            throws IOException {
        try {
            return f.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new PageReadTimeoutException("page " + pgno + " from " + store.store().location()
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
            throw new IOException("cannot read page " + pgno + " from " + store.store().location()
                    + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * Makes {@code mine} the fetch of {@code key}, unless the page is cached or already being
     * fetched: then returns a future of that instead.
     */
    private CompletableFuture<byte[]> claim(FrameKey key, CompletableFuture<byte[]> mine) {
        byte[] page = pages.getIfPresent(key);
        if (page != null) {
            return CompletableFuture.completedFuture(page);
        }
        CompletableFuture<byte[]> other = inFlight.putIfAbsent(key, mine);
        if (other != null) {
            return other;
        }
        // A fetch may have finished between the look in the cache and the claim.
        page = pages.getIfPresent(key);
        if (page != null) {
            inFlight.remove(key, mine);
            return CompletableFuture.completedFuture(page);
        }
        return mine;
    }

    /** A fetch delivers: cache the page before ending the fetch, so no reader finds neither. */
    void fetched(FrameKey key, CompletableFuture<byte[]> future, byte[] page) {
        pages.put(key, page);
        inFlight.remove(key, future);
        future.complete(page);
    }

    /** A fetch failed: nothing is cached, so the next request retries. */
    void failed(FrameKey key, CompletableFuture<byte[]> future, Throwable e) {
        fetchFailures.increment();
        inFlight.remove(key, future);
        future.completeExceptionally(e);
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

    boolean contains(StoreHandle store, FrameLocation frame) {
        return pages.getIfPresent(key(store, frame.file(), frame.offset())) != null;
    }

    public CacheStats stats() {
        long weight = pages.policy().eviction().orElseThrow().weightedSize().orElse(0);
        return new CacheStats(hits.sum(), misses.sum(), fetches.sum(), fetchFailures.sum(), readaheadPages.sum(),
                fetchedBytes.sum(), pages.stats().evictionCount(), pages.estimatedSize(), weight, maxBytes);
    }

    private static FrameKey key(StoreHandle store, LtxFileInfo file, long offset) {
        return new FrameKey(store.id(), file.level(), file.minTxid(), file.maxTxid(), offset);
    }
}
