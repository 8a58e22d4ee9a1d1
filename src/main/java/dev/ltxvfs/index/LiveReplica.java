package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.RequestRate;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One replica kept current: the newest {@link IndexSnapshot}, advanced by {@link #poll()}.
 *
 * <p>A poll lists level 0 after the newest known TXID (a seek, never the whole level), reads the
 * new files' indexes in parallel and publishes {@code current.apply(new files)}: O(pages
 * changed). When level 0 has a gap (compaction deleted files we never saw), it bridges with the
 * level-1 file that covers it, even if that file starts before the known TXID; Litestream's VFS
 * wedges there. Anything stranger (page-size change, unbridgeable gap) rebuilds from a fresh plan.
 * Readers pin the value they got; publishing never mutates a value in use.
 */
public final class LiveReplica {
    private final ReplicaStore store;
    private final IndexBuilder builder;
    private final FileIndexReader reader;
    private final AtomicReference<IndexSnapshot> current = new AtomicReference<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile Instant lastSuccess;
    private volatile Throwable lastFailure;
    private volatile long lastBuildMillis = -1;
    /** MinTXID of the newest level-1 file seen: where a gap recovery starts listing level 1. */
    private volatile long level1Seek;
    private final RequestRate rate;
    private final ReplicaHistory history;

    public final LongAdder polls = new LongAdder();
    public final LongAdder pollFailures = new LongAdder();
    public final LongAdder advances = new LongAdder();
    public final LongAdder rebuilds = new LongAdder();
    /** Level-0 gaps crossed with a level-1 file (files compacted away before a poll saw them). */
    public final LongAdder bridges = new LongAdder();
    /** Re-plans after a page's file vanished (counted by the reader that re-planned). */
    public final LongAdder replans = new LongAdder();

    public LiveReplica(ReplicaStore store) {
        this.store = store;
        this.builder = new IndexBuilder(store);
        this.reader = new FileIndexReader(store);
        this.rate = new RequestRate(store.stats(), 60_000);
        this.history = new ReplicaHistory(store);
    }

    /** The restorable moments of this replica (listed on demand; headers cached). */
    public ReplicaHistory history() {
        return history;
    }

    public ReplicaStore store() {
        return store;
    }

    /** The newest published state, or null before the first build. */
    public IndexSnapshot current() {
        return current.get();
    }

    /** Builds the index from a fresh restore plan to the newest TXID and publishes it. */
    public Uni<IndexSnapshot> rebuild() {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return builder.open(RestoreTarget.LATEST)
                    .onItem().invoke(s -> lastBuildMillis = (System.nanoTime() - started) / 1_000_000);
        })
                .onItem().invoke(s -> {
                    publish(s);
                    rebuilds.increment();
                    lastSuccess = Instant.now();
                    lastFailure = null;
                    s.plan().files().stream().filter(f -> f.level() == 1)
                            .mapToLong(LtxFileInfo::minTxid).max().ifPresent(m -> level1Seek = m);
                })
                .onFailure().invoke(t -> lastFailure = t);
    }

    /** A historical state: the newest written strictly before {@code time}. Shares nothing mutable. */
    public Uni<IndexSnapshot> at(Instant time) {
        return builder.open(RestoreTarget.time(time));
    }

    /** Exactly the state after {@code txid}, if the replica still holds files that reach it. */
    public Uni<IndexSnapshot> atTxid(long txid) {
        return builder.open(RestoreTarget.txid(txid));
    }

    /**
     * One poll: true if the replica advanced. Never overlaps itself (a call during a running poll
     * returns false at once). Failures are kept for {@link #lastFailure()} and retried next time.
     */
    public Uni<Boolean> poll() {
        if (!polling.compareAndSet(false, true)) {
            return Uni.createFrom().item(false);
        }
        polls.increment();
        IndexSnapshot base = current.get();
        Uni<Boolean> work = base == null
                ? rebuild().onItem().transform(s -> true)
                : advance(base);
        return work
                .onItem().invoke(advanced -> {
                    lastSuccess = Instant.now();
                    lastFailure = null;
                    if (advanced) {
                        advances.increment();
                    }
                })
                .onFailure().invoke(t -> {
                    lastFailure = t;
                    pollFailures.increment();
                })
                .eventually(() -> {
                    rate.sample(System.nanoTime());
                    polling.set(false);
                });
    }

    private Uni<Boolean> advance(IndexSnapshot base) {
        long txid = base.txid();
        return store.list(0, txid + 1).onItem().transformToUni(level0 -> {
            if (level0.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            if (level0.getFirst().minTxid() == txid + 1) {
                return applyChain(base, chain(txid, List.of(), level0));
            }
            // Level 0 lost files we never saw: bridge through level 1.
            return store.list(1, level1Seek).onItem().transformToUni(level1 -> {
                LtxFileInfo bridge = level1.stream()
                        .filter(f -> f.minTxid() <= txid + 1 && f.maxTxid() > txid)
                        .max(Comparator.comparingLong(LtxFileInfo::maxTxid))
                        .orElse(null);
                if (bridge == null) {
                    return rebuild().onItem().transform(s -> true);
                }
                level1Seek = Math.max(level1Seek, bridge.minTxid());
                bridges.increment();
                return applyChain(base, chain(txid, List.of(bridge), level0));
            });
        });
    }

    /** {@code first} then the level-0 files that continue it without a gap. */
    private static List<LtxFileInfo> chain(long txid, List<LtxFileInfo> first, List<LtxFileInfo> level0) {
        List<LtxFileInfo> out = new ArrayList<>(first);
        long at = first.isEmpty() ? txid : first.getLast().maxTxid();
        for (LtxFileInfo f : level0) {
            if (f.maxTxid() <= at) {
                continue;
            }
            if (f.minTxid() != at + 1) {
                break;
            }
            out.add(f);
            at = f.maxTxid();
        }
        return out;
    }

    private Uni<Boolean> applyChain(IndexSnapshot base, List<LtxFileInfo> files) {
        if (files.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return Multi.createFrom().range(0, files.size())
                .onItem().transformToUni(i -> reader.read(files.get(i), true)
                        .onItem().transform(fi -> new Object[] {i, fi}))
                .merge(IndexBuilder.DEFAULT_CONCURRENCY)
                .collect().asList()
                .onItem().transformToUni(done -> {
                    List<FileIndex> ordered = done.stream()
                            .sorted(Comparator.comparingInt(a -> (Integer) a[0]))
                            .map(a -> (FileIndex) a[1])
                            .toList();
                    try {
                        publish(base.apply(ordered));
                        return Uni.createFrom().item(true);
                    } catch (TxidGapException | IllegalArgumentException e) {
                        // A page-size change or a chain we cannot apply: start over from a plan.
                        return rebuild().onItem().transform(s -> true);
                    }
                });
    }

    /**
     * Replaces {@code stale} with {@code fresh}, the same TXID planned again after files of
     * {@code stale} vanished (compaction, retention), unless something newer was published since.
     * Without it every later transaction would meet the vanished files and re-plan again.
     */
    public boolean replace(IndexSnapshot stale, IndexSnapshot fresh) {
        if (fresh.txid() != stale.txid()) {
            throw new IllegalArgumentException("a replacement must be the same state: TXID "
                    + fresh.txid() + " for " + stale.txid());
        }
        return current.compareAndSet(stale, fresh);
    }

    /** Header timestamps fetched to decide point-in-time plans so far. */
    public long headerTimesFetched() {
        return builder.planner().headerTimesFetched();
    }

    private void publish(IndexSnapshot next) {
        current.updateAndGet(prev -> prev == null || next.txid() >= prev.txid() ? next : prev);
    }

    /**
     * LIST and GET requests per minute over the last minute of polls (null before two polls):
     * while nothing is written, what this database costs idle. A poll that finds nothing new
     * costs exactly one LIST (level 0 after the newest TXID) and no GET.
     */
    public RequestRate.PerMinute requestsPerMinute() {
        return rate.perMinute();
    }

    /** Whole seconds since the last successful poll or build; -1 before the first. */
    public long lagSeconds() {
        Instant t = lastSuccess;
        return t == null ? -1 : Math.max(0, (System.currentTimeMillis() - t.toEpochMilli()) / 1000);
    }

    public Instant lastSuccess() {
        return lastSuccess;
    }

    /**
     * How long the last successful full index build took (plan, parallel tail reads, merge), in
     * milliseconds; -1 before the first. Polls that apply new files are not builds.
     */
    public long lastBuildMillis() {
        return lastBuildMillis;
    }

    /** Why the last poll or build failed, or null if it succeeded. */
    public Throwable lastFailure() {
        return lastFailure;
    }
}
