package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Computes a {@link RestorePlan} from the listings of levels 9..0: a pure function, so every
 * rule is testable without a store. The rules follow Litestream's {@code CalcRestorePlan}: start
 * from the newest admitted snapshot, then repeatedly take the admitted file that extends the
 * chain farthest (classic greedy interval cover, hence the fewest files).
 */
public final class PlanCalculator {

    public static final int SNAPSHOT_LEVEL = 9;

    /** Among files that extend the chain: farthest reach, then widest, then coarser level, then oldest. */
    static final Comparator<LtxFileInfo> BEST = Comparator
            .comparingLong(LtxFileInfo::maxTxid)
            .thenComparing(Comparator.comparingLong(LtxFileInfo::minTxid).reversed())
            .thenComparingInt(LtxFileInfo::level)
            .thenComparing(Comparator.comparing(PlanCalculator::createdAtOrMax).reversed());

    private PlanCalculator() {
    }

    /**
     * @param files every file of levels 0..9 (any order)
     * @param location the replica, named in error messages
     */
    public static RestorePlan calculate(Collection<LtxFileInfo> files, RestoreTarget target, String location)
            throws RestorePlanException {
        if (files.isEmpty()) {
            throw new NoLtxFilesException(location);
        }
        List<LtxFileInfo> plan = greedy(files, target);
        long reached = plan.isEmpty() ? 0 : plan.getLast().maxTxid();
        check(files, target, location, plan, reached);
        return new RestorePlan(target, plan);
    }

    /**
     * The TXID the admitted files reach from the best admitted snapshot (0 if nothing is
     * admitted): the greedy cover reaches the farthest point any chain of admitted files reaches.
     */
    static long reach(Collection<LtxFileInfo> files, RestoreTarget target) {
        List<LtxFileInfo> plan = greedy(files, target);
        return plan.isEmpty() ? 0 : plan.getLast().maxTxid();
    }

    private static List<LtxFileInfo> greedy(Collection<LtxFileInfo> files, RestoreTarget target) {
        List<LtxFileInfo> plan = new ArrayList<>();
        LtxFileInfo snapshot = null;
        for (LtxFileInfo f : files) {
            if (f.level() == SNAPSHOT_LEVEL && target.admits(f)
                    && (snapshot == null || BEST.compare(f, snapshot) > 0)) {
                snapshot = f;
            }
        }
        long reached = 0;
        if (snapshot != null) {
            plan.add(snapshot);
            reached = snapshot.maxTxid();
        }
        while (true) {
            LtxFileInfo best = null;
            for (LtxFileInfo f : files) {
                if (f.level() < SNAPSHOT_LEVEL && target.admits(f)
                        && f.minTxid() <= reached + 1 && f.maxTxid() > reached
                        && (best == null || BEST.compare(f, best) > 0)) {
                    best = f;
                }
            }
            if (best == null) {
                return plan;
            }
            plan.add(best);
            reached = best.maxTxid();
        }
    }

    private static void check(Collection<LtxFileInfo> files, RestoreTarget target, String location,
            List<LtxFileInfo> plan, long reached) throws RestorePlanException {
        long gapAt = Long.MAX_VALUE; // first admitted file the chain could not reach
        for (LtxFileInfo f : files) {
            if (target.admits(f) && f.maxTxid() > reached) {
                gapAt = Math.min(gapAt, f.minTxid());
            }
        }
        switch (target) {
            case RestoreTarget.Latest l -> {
                if (gapAt != Long.MAX_VALUE) {
                    throw new TxidGapException(location, reached, gapAt);
                }
            }
            case RestoreTarget.AtTxid t -> {
                if (reached == t.txid()) {
                    return;
                }
                if (plan.isEmpty()) {
                    throw new TargetUnavailableException(target + " is before the oldest state kept in "
                            + location + oldest(files));
                }
                if (gapAt != Long.MAX_VALUE) {
                    throw new TxidGapException(location, reached, gapAt);
                }
                long newest = files.stream().mapToLong(LtxFileInfo::maxTxid).max().orElse(0);
                throw new TargetUnavailableException(newest < t.txid()
                        ? String.format("%s is newer than the newest state in %s (TXID %016x)", target, location, newest)
                        : String.format("%s is not available on its own in %s (inside a compacted file); "
                                + "the nearest earlier state is TXID %016x", target, location, reached));
            }
            case RestoreTarget.AtTime t -> {
                // Like Litestream: the newest reachable state before the time, even if a file
                // written before it cannot be chained (its predecessors already compacted away).
                if (plan.isEmpty()) {
                    throw new TargetUnavailableException(target + " is before the oldest state kept in "
                            + location + oldest(files));
                }
            }
        }
    }

    /**
     * The oldest state a plan can start from: the snapshot or TXID-1 file with the smallest
     * MaxTXID, or null if history was cut without a snapshot.
     */
    static LtxFileInfo oldestStart(Collection<LtxFileInfo> files) {
        return files.stream()
                .filter(f -> f.level() == SNAPSHOT_LEVEL || f.minTxid() == 1)
                .min(Comparator.comparingLong(LtxFileInfo::maxTxid)
                        .thenComparing(PlanCalculator::createdAtOrMax))
                .orElse(null);
    }

    /** "; the oldest is ..." naming the oldest state a plan could start from. */
    private static String oldest(Collection<LtxFileInfo> files) {
        LtxFileInfo start = oldestStart(files);
        if (start == null) {
            long min = files.stream().mapToLong(LtxFileInfo::minTxid).min().orElse(0);
            return String.format(" (no snapshot; the oldest file starts at TXID %016x)", min);
        }
        return String.format(" (the oldest is TXID %016x, written %s)", start.maxTxid(), start.createdAt());
    }

    private static Instant createdAtOrMax(LtxFileInfo f) {
        return f.createdAt() == null ? Instant.MAX : f.createdAt();
    }
}
