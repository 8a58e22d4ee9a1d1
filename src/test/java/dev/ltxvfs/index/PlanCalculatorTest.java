package dev.ltxvfs.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.store.LtxFileInfo;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlanCalculatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String LOC = "file:///replica";

    /** A file whose createdAt is T0 + maxTxid seconds, like a replica written once a second. */
    static LtxFileInfo f(int level, long min, long max) {
        return new LtxFileInfo(level, min, max, 1000, T0.plusSeconds(max));
    }

    static List<LtxFileInfo> plan(List<LtxFileInfo> files, RestoreTarget target) throws RestorePlanException {
        return PlanCalculator.calculate(files, target, LOC).files();
    }

    @Test
    void latestTakesNewestSnapshotThenCoarsestLevelsThatReachFarthest() throws Exception {
        List<LtxFileInfo> files = List.of(
                f(9, 1, 50), f(9, 1, 100),
                f(3, 1, 60), f(3, 61, 120), // straddles the snapshot at 100
                f(2, 61, 90), f(2, 91, 125),
                f(1, 121, 125), f(1, 126, 130),
                f(0, 126, 126), f(0, 127, 127), f(0, 128, 128), f(0, 129, 129), f(0, 130, 130), f(0, 131, 131));

        assertThat(plan(files, RestoreTarget.LATEST)).containsExactly(
                f(9, 1, 100), f(2, 91, 125), f(1, 126, 130), f(0, 131, 131));
    }

    @Test
    void tiesPreferSmallerMinTxidThenHigherLevelThenEarlierCreation() throws Exception {
        // Same reach 20: the one starting earlier wins.
        assertThat(plan(List.of(f(0, 1, 10), f(1, 11, 20), f(2, 5, 20)), RestoreTarget.LATEST))
                .containsExactly(f(0, 1, 10), f(2, 5, 20));
        // Same range: the higher level wins.
        assertThat(plan(List.of(f(0, 1, 10), f(1, 11, 20), f(2, 11, 20)), RestoreTarget.LATEST))
                .containsExactly(f(0, 1, 10), f(2, 11, 20));
        // Same range and level (two listings of a rewritten object): the older one wins.
        LtxFileInfo early = new LtxFileInfo(1, 11, 20, 1000, T0);
        LtxFileInfo late = new LtxFileInfo(1, 11, 20, 1000, T0.plusSeconds(5));
        assertThat(plan(List.of(f(0, 1, 10), late, early), RestoreTarget.LATEST))
                .containsExactly(f(0, 1, 10), early);
    }

    @Test
    void withoutSnapshotAPlanMayStartAtTxidOne() throws Exception {
        assertThat(plan(List.of(f(0, 1, 1), f(0, 2, 2), f(1, 1, 2), f(0, 3, 3)), RestoreTarget.LATEST))
                .containsExactly(f(1, 1, 2), f(0, 3, 3));
    }

    @Test
    void aGapIsAnError() {
        List<LtxFileInfo> files = List.of(f(9, 1, 100), f(0, 101, 101), f(0, 103, 103));
        assertThatThrownBy(() -> plan(files, RestoreTarget.LATEST))
                .isInstanceOf(TxidGapException.class)
                .hasMessage("non-contiguous LTX files in file:///replica: have up to 0000000000000065"
                        + " but the next file starts at 0000000000000067")
                .satisfies(e -> assertThat(((TxidGapException) e).nextStartsAt()).isEqualTo(103));
    }

    @Test
    void noFilesIsAnError() {
        assertThatThrownBy(() -> plan(List.of(), RestoreTarget.LATEST))
                .isInstanceOf(NoLtxFilesException.class)
                .hasMessage("no LTX files in file:///replica");
    }

    @Test
    void targetTxidStopsExactlyThere() throws Exception {
        List<LtxFileInfo> files = List.of(f(9, 1, 100), f(1, 101, 110), f(0, 101, 101), f(0, 102, 102),
                f(0, 103, 103), f(1, 111, 120));
        assertThat(plan(files, RestoreTarget.txid(102))).containsExactly(f(9, 1, 100), f(0, 101, 101), f(0, 102, 102));
        assertThat(plan(files, RestoreTarget.txid(110))).containsExactly(f(9, 1, 100), f(1, 101, 110));
        assertThat(plan(files, RestoreTarget.txid(100))).containsExactly(f(9, 1, 100));
    }

    @Test
    void targetTxidInsideACompactedFileOrBeyondIsUnavailable() {
        List<LtxFileInfo> files = List.of(f(9, 1, 100), f(1, 101, 110), f(0, 110, 110));
        assertThatThrownBy(() -> plan(files, RestoreTarget.txid(105)))
                .isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("not available on its own")
                .hasMessageContaining("nearest earlier state is TXID 0000000000000064");
        assertThatThrownBy(() -> plan(files, RestoreTarget.txid(500)))
                .isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("newer than the newest state");
    }

    @Test
    void targetBeforeRetentionNamesTheOldestState() {
        // Older history was removed: the oldest snapshot is TXID 100.
        List<LtxFileInfo> files = List.of(f(9, 1, 100), f(9, 1, 200), f(1, 101, 200));
        assertThatThrownBy(() -> plan(files, RestoreTarget.txid(50)))
                .isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("before the oldest state")
                .hasMessageContaining("TXID 0000000000000064, written " + T0.plusSeconds(100));
        assertThatThrownBy(() -> plan(files, RestoreTarget.time(T0.plusSeconds(100))))
                .isInstanceOf(TargetUnavailableException.class)
                .hasMessageContaining("written " + T0.plusSeconds(100));
    }

    @Test
    void targetTimeCountsFilesWrittenStrictlyBefore() throws Exception {
        List<LtxFileInfo> files = List.of(f(9, 1, 100), f(1, 101, 110), f(0, 101, 101), f(0, 102, 102),
                f(0, 103, 103), f(1, 111, 120));
        // createdAt of f(0,102,102) is T0+102s: at T0+102s it is not "before".
        assertThat(plan(files, RestoreTarget.time(T0.plusSeconds(102))))
                .containsExactly(f(9, 1, 100), f(0, 101, 101));
        assertThat(plan(files, RestoreTarget.time(T0.plusSeconds(102).plusMillis(1))))
                .containsExactly(f(9, 1, 100), f(0, 101, 101), f(0, 102, 102));
        assertThat(plan(files, RestoreTarget.time(T0.plusSeconds(3600))))
                .containsExactly(f(9, 1, 100), f(1, 101, 110), f(1, 111, 120));
    }

    /**
     * On random layouts (levels of random-width files over one TXID range, some removed), the
     * plan chains, ends at the newest TXID, and has as few files as a breadth-first search finds.
     */
    @Test
    void greedyPlanIsMinimalOnRandomLayouts() throws Exception {
        Random rnd = new Random(42);
        for (int round = 0; round < 300; round++) {
            int top = 20 + rnd.nextInt(60);
            List<LtxFileInfo> files = new ArrayList<>();
            for (long t = 1; t <= top; t++) {
                files.add(f(0, t, t)); // L0 is complete, so a plan always exists
            }
            for (int level = 1; level <= 3; level++) {
                long t = 1 + rnd.nextInt(5);
                while (t <= top) {
                    long max = Math.min(top, t + rnd.nextInt(4 * level + 2));
                    if (rnd.nextInt(4) > 0) {
                        files.add(f(level, t, max));
                    }
                    t = max + 1 - (rnd.nextInt(5) == 0 ? Math.min(max - t, 1) : 0); // sometimes straddle
                }
            }
            if (rnd.nextBoolean()) {
                files.add(f(9, 1, 1 + rnd.nextInt(top)));
            }
            List<LtxFileInfo> p = plan(files, RestoreTarget.LATEST);

            long reached = p.getFirst().level() == 9 ? p.getFirst().maxTxid() : 0;
            for (LtxFileInfo x : p.subList(p.getFirst().level() == 9 ? 1 : 0, p.size())) {
                assertThat(x.minTxid()).isLessThanOrEqualTo(reached + 1);
                assertThat(x.maxTxid()).isGreaterThan(reached);
                reached = x.maxTxid();
            }
            assertThat(reached).isEqualTo(top);
            assertThat(p.size()).as("round %d", round).isEqualTo(fewestFiles(files, top));
        }
    }

    /** Breadth-first search over reached TXIDs, from the best snapshot (or 0). */
    private static int fewestFiles(List<LtxFileInfo> files, long top) {
        long start = files.stream().filter(x -> x.level() == 9).mapToLong(LtxFileInfo::maxTxid).max().orElse(0);
        Map<Long, Integer> dist = new HashMap<>(Map.of(start, start > 0 ? 1 : 0));
        ArrayDeque<Long> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            long at = queue.poll();
            if (at == top) {
                return dist.get(at);
            }
            for (LtxFileInfo x : files) {
                if (x.level() < 9 && x.minTxid() <= at + 1 && x.maxTxid() > at && !dist.containsKey(x.maxTxid())) {
                    dist.put(x.maxTxid(), dist.get(at) + 1);
                    queue.add(x.maxTxid());
                }
            }
        }
        throw new AssertionError("unreachable");
    }
}
