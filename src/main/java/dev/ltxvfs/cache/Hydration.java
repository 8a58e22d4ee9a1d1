package dev.ltxvfs.cache;

import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ObjectNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What is read into the cache ahead of queries once a database's index is built, in the
 * background, as far as its {@link HydrateMode.Reach} says: page 1 and the schema (always: the
 * first query needs them), then either the hot set (interior b-tree pages, {@link HotSet}) or the
 * whole database: the small files first, then its frames in page order, gathered per file into
 * large ranged GETs of up to {@link #GET_BYTES}, at most half the cache in flight
 * ({@link HydrationPermits}).
 *
 * <p>The whole-database passes never stand in a query's way: a random demand miss inside one of
 * their GETs in flight ({@link HydrationRead}) does not wait for it alone (it reads the page itself
 * and takes hydration's bytes if they come first; a sequential reader rides along), and pages
 * cached or in flight are skipped. A failed GET leaves its pages to demand reads; one more pass
 * retries what is still missing. A vanished file (compaction) ends the pass; the next one follows
 * the state the database holds then, and if that is still the same, hydration stops.
 * {@link #stop} ends it at the next GET.
 */
final class Hydration {
    // System.Logger, not jboss-logging: the JDBC driver jar hydrates too and carries no Quarkus logging.
    private static final System.Logger LOG = System.getLogger(Hydration.class.getName());
    static final int GET_BYTES = 8 << 20;
    /** Superseded frames inside a range are read through: hydration wants whole files anyway. */
    static final int MAX_GAP = 1 << 20;
    static final int PASSES = 2;

    private final PageCache cache;
    private final StoreHandle handle;
    private final Supplier<IndexSnapshot> current;
    private final HydrateMode mode;
    private final long waitNanos;
    private final AtomicLong done = new AtomicLong();
    private volatile long total;
    private volatile boolean stopped;

    Hydration(PageCache cache, StoreHandle handle, Supplier<IndexSnapshot> current, HydrateMode mode, long waitNanos) {
        this.cache = cache;
        this.handle = handle;
        this.current = current;
        this.mode = mode;
        this.waitNanos = waitNanos;
    }

    void start() {
        Thread.ofVirtual().name("ltxvfs-hydrate-" + handle.id()).start(this::run);
    }

    void stop() {
        stopped = true;
    }

    /** Percent of the pages of the state being hydrated that are cached or being fetched by others. */
    double progress() {
        long t = total;
        return t == 0 ? 0 : Math.min(100.0, done.get() * 100.0 / t);
    }

    private void run() {
        // Hydration's pages are decoded on one thread of its own, not on the store's completion
        // threads: there they would queue a query's own GETs behind hydration's decoding, and take
        // every core at once. A platform thread: a virtual one would hold a carrier the stores'
        // request starts need for the whole of a 4 MiB GET's decoding.
        ExecutorService decoder = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("ltxvfs-hydrate-decode-" + handle.id()).factory());
        try {
            run(decoder);
        } finally {
            decoder.shutdown(); // a decode still queued runs; one arriving later runs on its read's thread
        }
    }

    private void run(Executor decoder) {
        try {
            IndexSnapshot s = current.get();
            HydrateMode.Reach reach = s == null ? HydrateMode.Reach.SCHEMA : mode.reach(s, cache);
            if (s != null) {
                HotSet hot = new HotSet(cache, handle, s, waitNanos, () -> stopped);
                if (reach == HydrateMode.Reach.WHOLE) {
                    // Beside the whole-database read, not before it: its first GET is large and slower
                    // than the schema's small ones the first query needs, but it need not wait for them.
                    Thread.ofVirtual().name("ltxvfs-hydrate-schema-" + handle.id()).start(() -> schema(hot));
                } else {
                    List<Integer> roots = hot.schema();
                    // Not before a whole-database read: that reads these pages in its large GETs anyway,
                    // and adds no small ones of its own.
                    if (reach == HydrateMode.Reach.HOT_SET) {
                        hot.trees(roots, HotSet.budgetBytes(cache));
                    }
                }
            }
            if (reach != HydrateMode.Reach.WHOLE) {
                return;
            }
            whole = true;
            for (int pass = 0; pass < PASSES && !stopped && s != null; pass++) {
                if (pass(s, decoder)) {
                    return;
                }
                IndexSnapshot next = current.get();
                if (gone && next == s) {
                    return; // its files are gone and nobody re-planned: left to demand reads
                }
                s = next;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "hydration of {0} stopped: {1}", handle.store().location(), e);
        }
    }

    private void schema(HotSet hot) {
        try {
            hot.schema();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "reading the schema of {0} ahead stopped: {1}", handle.store().location(), e);
        }
    }

    private volatile boolean gone;
    private volatile boolean whole;

    /** Whether the whole database is being (or was) read in. */
    boolean whole() {
        return whole;
    }

    /**
     * One pass over {@code s}; true when every page is in. First the files of one GET or less,
     * each in one read: the newer levels' changes, which hold pages from all over the database (and
     * often the ones queried), so no query waits for the end of the pass for one of theirs. Then
     * the rest in page order, gathered per file; a file's gathered frames are read once they reach
     * {@link #GET_BYTES}, and whatever is left at the end in one read per file. Decoded once the
     * downloads are in ({@link DecodeGate}).
     */
    private boolean pass(IndexSnapshot s, Executor decoder) throws InterruptedException {
        DecodeGate gate = new DecodeGate(decoder);
        try {
            return pass(s, gate);
        } finally {
            gate.open(); // stopped or interrupted: what is held still settles
        }
    }

    private boolean pass(IndexSnapshot s, DecodeGate decoder) throws InterruptedException {
        int lock = LtxHeader.lockPage(s.pageSize());
        total = s.commit() - (lock <= s.commit() ? 1 : 0);
        done.set(0);
        gone = false;
        Semaphore permits = cache.hydrationPermits;
        Phaser reads = new Phaser(1); // this pass's GETs, until decoded
        AtomicLong failed = new AtomicLong();
        List<FrameLocation> inPageOrder = s.framesAfter(0, s.commit());
        Map<LtxFileInfo, List<FrameLocation>> small = new LinkedHashMap<>();
        for (FrameLocation f : inPageOrder) {
            if (f.file().size() <= GET_BYTES) {
                small.computeIfAbsent(f.file(), k -> new ArrayList<>()).add(f);
            }
        }
        for (List<FrameLocation> frames : small.values()) {
            if (stopped || gone) {
                break;
            }
            read(s, frames, permits, reads, failed, decoder);
        }
        Map<LtxFileInfo, List<FrameLocation>> gathered = new LinkedHashMap<>();
        for (FrameLocation f : inPageOrder) {
            if (stopped || gone) {
                break;
            }
            if (small.containsKey(f.file())) {
                continue; // read above
            }
            List<FrameLocation> inFile = gathered.computeIfAbsent(f.file(), k -> new ArrayList<>());
            // A file's frames ascend with their pages: the read spans from its first to this one.
            if (!inFile.isEmpty() && f.end() - inFile.getFirst().offset() > GET_BYTES) {
                read(s, inFile, permits, reads, failed, decoder);
                inFile = new ArrayList<>();
                gathered.put(f.file(), inFile);
            }
            inFile.add(f);
        }
        for (List<FrameLocation> rest : gathered.values()) {
            if (stopped || gone) {
                break;
            }
            read(s, rest, permits, reads, failed, decoder);
        }
        decoder.allSent();
        reads.awaitAdvanceInterruptibly(reads.arrive()); // every GET of the pass is over
        return failed.get() == 0 && !gone && !stopped;
    }

    /** Reads the frames of one file nobody has, looked up right before the GETs are sent. */
    private void read(IndexSnapshot s, List<FrameLocation> frames, Semaphore permits, Phaser reads, AtomicLong failed,
            DecodeGate decoder) throws InterruptedException {
        // Its KiB (a file's frames here span at most a GET and a frame), never more than there are.
        long span = frames.getLast().end() - frames.getFirst().offset();
        int kib = (int) Math.min(HydrationPermits.kib(cache), (span + 1023) >> 10);
        if (!permits.tryAcquire(kib)) {
            decoder.open(); // what is in must be decoded to make room
            permits.acquire(kib);
        }
        reads.register();
        List<FrameFetch.Claimed> claimed = cache.unclaimed(handle, frames);
        done.addAndGet(frames.size() - claimed.size()); // cached, or fetched by someone else
        List<List<FrameFetch.Claimed>> ranges = FrameRanges.of(claimed, GET_BYTES, MAX_GAP);
        if (ranges.isEmpty()) {
            permits.release(kib);
            reads.arriveAndDeregister();
            return;
        }
        AtomicInteger left = new AtomicInteger(ranges.size());
        for (List<FrameFetch.Claimed> range : ranges) {
            decoder.sent();
            HydrationRead read = cache.hydrate(handle, s.pageSize(), range, decoder);
            read.body().whenComplete((b, e) -> decoder.arrived());
            read.decoded().whenComplete((v, e) -> {
                for (FrameFetch.Claimed c : range) {
                    if (c.future().state() == Future.State.SUCCESS) {
                        done.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        if (c.future().exceptionNow() instanceof ObjectNotFoundException) {
                            gone = true;
                        }
                    }
                }
                if (left.decrementAndGet() == 0) {
                    permits.release(kib);
                    reads.arriveAndDeregister();
                }
            });
        }
    }
}
