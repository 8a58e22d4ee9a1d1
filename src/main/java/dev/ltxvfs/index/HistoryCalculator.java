package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The restorable moments of a replica from its listings alone (names only, no header): a pure
 * function, like {@link PlanCalculator}, whose rules it follows.
 *
 * <p>A moment is a TXID some file ends at. It is exact when a plan to that TXID reaches it:
 * starting from the newest snapshot at or before it, a chain of files ending no later lands on
 * it. Otherwise a read at its time gets the newest state such a chain reaches, an older
 * compaction boundary (its L0 predecessors were compacted away and deleted). One pass in TXID
 * order decides every moment: a TXID is reachable iff a file ending there starts at most one past
 * the farthest TXID reached before it (the greedy plan reaches the farthest point any chain does).
 */
final class HistoryCalculator {

    /**
     * @param txid the state's TXID
     * @param levels every level holding a file that ends here, ascending
     * @param via the file a plan lands with (its level is where the moment is reachable from), or
     *     for an inexact moment the finest file ending here
     * @param header the file whose header gives the moment's time and size: the finest level,
     *     whose timestamp is the transaction's (compactions keep their last input's)
     * @param exact whether a plan reaches exactly this TXID
     * @param resolvesTo the TXID a read at this moment gets (== txid when exact)
     */
    record Point(long txid, List<Integer> levels, LtxFileInfo via, LtxFileInfo header, boolean exact, long resolvesTo) {}

    private HistoryCalculator() {
    }

    /** Every restorable moment, oldest first; moments no plan can reach at all are left out. */
    static List<Point> moments(Collection<LtxFileInfo> files) {
        Map<Long, List<LtxFileInfo>> byEnd = new TreeMap<>();
        for (LtxFileInfo f : files) {
            byEnd.computeIfAbsent(f.maxTxid(), k -> new ArrayList<>()).add(f);
        }
        List<Point> out = new ArrayList<>();
        long reached = 0; // farthest TXID a plan reaches so far; 0: none yet
        for (Map.Entry<Long, List<LtxFileInfo>> e : byEnd.entrySet()) {
            long txid = e.getKey();
            List<LtxFileInfo> ending = e.getValue();
            List<Integer> levels = ending.stream().map(LtxFileInfo::level).distinct().sorted().toList();
            LtxFileInfo finest = ending.stream().min(Comparator.comparingInt(LtxFileInfo::level)).orElseThrow();
            LtxFileInfo snapshot = ending.stream().filter(f -> f.level() == PlanCalculator.SNAPSHOT_LEVEL)
                    .findFirst().orElse(null);
            LtxFileInfo via = snapshot;
            if (via == null) {
                long from = reached;
                // Among files that land here: the widest, then the coarser level, as the planner picks.
                via = ending.stream().filter(f -> f.minTxid() <= from + 1)
                        .max(PlanCalculator.BEST).orElse(null);
            }
            if (via != null) {
                reached = txid; // a plan to a later TXID starts from here (or from a newer snapshot)
                out.add(new Point(txid, levels, via, finest, true, txid));
            } else if (reached > 0) {
                out.add(new Point(txid, levels, finest, finest, false, reached));
            }
        }
        return out;
    }
}
