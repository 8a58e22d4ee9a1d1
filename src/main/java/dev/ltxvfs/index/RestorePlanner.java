package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists every level of a replica ({@link ReplicaStore#listAll}: one LIST for a replica of fewer
 * files than a page) and computes the restore plan. Every level is listed whole: compacted files
 * may straddle the snapshot's TXID, so no level can be seeked from the snapshot.
 *
 * <p>A point-in-time plan goes by LTX header times, as Litestream's does, without fetching one
 * per object. A listing's time (S3 LastModified, a file's mtime) is never earlier than the header
 * time, give or take the second S3 rounds it to: a file listed more than {@link #LISTING_SLACK}
 * before the target is certainly before it. Only the files that would extend the plan past the
 * TXID those reach, and were listed later, get their header read; then the plan is extended and
 * the new frontier examined, until nothing unknown could extend it. Compacted files carry their
 * last transaction's time (LTX compaction keeps the last input's timestamp), so a header before
 * the target also decides every file of levels 0..8 ending earlier, and one after it every file
 * ending later; a probe in the middle of the undecided files halves them each round. The result
 * is the plan over header times (see {@link #planAt}), at a cost of a few ranged GETs.
 */
public final class RestorePlanner {

    /** S3 LastModified has whole seconds; a listing time this much before the target is safe. */
    static final Duration LISTING_SLACK = Duration.ofSeconds(1);

    private final ReplicaStore store;
    private final HeaderTimes headerTimes;

    public RestorePlanner(ReplicaStore store) {
        this.store = store;
        this.headerTimes = new HeaderTimes(store);
    }

    /** Header timestamps fetched to decide point-in-time plans so far. */
    public long headerTimesFetched() {
        return headerTimes.fetched.sum();
    }

    public Uni<RestorePlan> plan(RestoreTarget target) {
        return store.listAll().onItem().transformToUni(all -> target instanceof RestoreTarget.AtTime at
                ? planAt(all, at)
                : calculate(all, target));
    }

    private Uni<RestorePlan> calculate(List<LtxFileInfo> files, RestoreTarget target) {
        try {
            return Uni.createFrom().item(PlanCalculator.calculate(files, target, store.location()));
        } catch (RestorePlanException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * The plan for {@code at} over header times. Correct because admitting more files can only
     * move the reach forward: when no unknown file starts at or before reach+1 and ends after
     * reach, no file with a header time before the target could take the chain farther.
     */
    Uni<RestorePlan> planAt(List<LtxFileInfo> listed, RestoreTarget.AtTime at) {
        return frontier(listed, at, new HashMap<>()).onItem().transformToUni(view -> {
            try {
                return Uni.createFrom().item(PlanCalculator.calculate(view, at, store.location()));
            } catch (TargetUnavailableException e) {
                return beforeOldest(view, at, e);
            } catch (RestorePlanException e) {
                return Uni.createFrom().failure(e);
            }
        });
    }

    private Uni<List<LtxFileInfo>> frontier(List<LtxFileInfo> listed, RestoreTarget.AtTime at,
            Map<LtxFileInfo, Instant> resolved) {
        // Levels 0..8 carry the time of their last transaction, so header time grows with
        // MaxTXID: a file known to be before T vouches for every file ending no later.
        long lo = 0;
        long hi = Long.MAX_VALUE;
        for (LtxFileInfo f : listed) {
            if (f.level() == PlanCalculator.SNAPSHOT_LEVEL) {
                continue;
            }
            Instant header = resolved.get(f);
            if (header != null ? header.isBefore(at.time()) : certainlyBefore(f, at)) {
                lo = Math.max(lo, f.maxTxid());
            } else if (header != null) {
                hi = Math.min(hi, f.maxTxid());
            }
        }
        List<LtxFileInfo> view = new ArrayList<>(listed.size());
        for (LtxFileInfo f : listed) {
            view.add(timed(f, at, resolved, lo, hi));
        }
        long reached = PlanCalculator.reach(view, at);
        List<LtxFileInfo> frontier = new ArrayList<>();
        List<LtxFileInfo> beyond = new ArrayList<>();
        for (int i = 0; i < view.size(); i++) {
            LtxFileInfo v = view.get(i);
            if (v.createdAt() != null || v.maxTxid() <= reached) {
                continue;
            }
            if (v.minTxid() <= reached + 1) {
                frontier.add(listed.get(i));
            } else if (v.level() != PlanCalculator.SNAPSHOT_LEVEL) {
                beyond.add(listed.get(i));
            }
        }
        if (frontier.isEmpty()) {
            return Uni.createFrom().item(view); // nothing undecided can take the chain farther
        }
        if (!beyond.isEmpty()) {
            // Also probe the middle of what lies ahead: either half is then decided at once,
            // so a long run of files listed late costs a logarithmic number of reads.
            beyond.sort(Comparator.comparingLong(LtxFileInfo::maxTxid));
            frontier.add(beyond.get(beyond.size() / 2));
        }
        return headerTimes.of(frontier).onItem().transformToUni(times -> {
            resolved.putAll(times);
            return frontier(listed, at, resolved);
        });
    }

    private static boolean certainlyBefore(LtxFileInfo f, RestoreTarget.AtTime at) {
        return f.createdAt() != null && f.createdAt().plus(LISTING_SLACK).isBefore(at.time());
    }

    /**
     * {@code f} with its header time if known, as listed if certainly before, marked before or
     * not before when its MaxTXID decides it (levels 0..8), else with no time (undecided).
     */
    private static LtxFileInfo timed(LtxFileInfo f, RestoreTarget.AtTime at, Map<LtxFileInfo, Instant> resolved,
            long lo, long hi) {
        Instant header = resolved.get(f);
        if (header != null) {
            return withTime(f, header);
        }
        if (certainlyBefore(f, at)) {
            return f;
        }
        if (f.level() != PlanCalculator.SNAPSHOT_LEVEL) {
            if (f.maxTxid() <= lo) {
                return withTime(f, at.time().minusNanos(1));
            }
            if (f.maxTxid() >= hi) {
                return withTime(f, at.time());
            }
        }
        return withTime(f, null);
    }

    private static LtxFileInfo withTime(LtxFileInfo f, Instant t) {
        return new LtxFileInfo(f.level(), f.minTxid(), f.maxTxid(), f.size(), t);
    }

    /** The target is before every state kept: say which time is the oldest (its header time). */
    private Uni<RestorePlan> beforeOldest(List<LtxFileInfo> view, RestoreTarget.AtTime at, TargetUnavailableException e) {
        LtxFileInfo start = PlanCalculator.oldestStart(view);
        if (start == null) {
            return Uni.createFrom().failure(e);
        }
        Uni<Instant> time = start.createdAt() != null
                ? Uni.createFrom().item(start.createdAt())
                : headerTimes.of(start);
        return time.onItem().transformToUni(oldest -> Uni.createFrom().failure(new TargetUnavailableException(
                String.format("%s is before the oldest state kept in %s: TXID %016x, written %s; "
                        + "ask for a later time", at, store.location(), start.maxTxid(), oldest), oldest)));
    }
}
