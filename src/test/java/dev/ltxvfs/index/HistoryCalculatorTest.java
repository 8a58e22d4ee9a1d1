package dev.ltxvfs.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.store.LtxFileInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Moments from listings alone, checked against the planner itself on many made-up replicas. */
class HistoryCalculatorTest {

    static LtxFileInfo f(int level, long min, long max) {
        return PlanCalculatorTest.f(level, min, max);
    }

    static Map<Long, HistoryCalculator.Point> byTxid(List<LtxFileInfo> files) {
        return HistoryCalculator.moments(files).stream()
                .collect(Collectors.toMap(HistoryCalculator.Point::txid, Function.identity()));
    }

    @Test
    void compactedAwayLevel0MomentsResolveToTheLastBoundary() {
        // Snapshot at 10, L1 up to 20, L0 11..14 deleted by retention, L0 15..22 kept.
        List<LtxFileInfo> files = new ArrayList<>(List.of(f(9, 1, 10), f(1, 11, 20), f(0, 1, 1)));
        for (long t = 15; t <= 22; t++) {
            files.add(f(0, t, t));
        }
        Map<Long, HistoryCalculator.Point> m = byTxid(files);

        assertThat(m.keySet()).containsExactlyInAnyOrder(1L, 10L, 15L, 16L, 17L, 18L, 19L, 20L, 21L, 22L);
        assertThat(m.get(10L).exact()).isTrue();
        assertThat(m.get(10L).via().level()).isEqualTo(9);
        for (long t = 15; t <= 19; t++) {
            assertThat(m.get(t).exact()).as("TXID %d", t).isFalse();
            assertThat(m.get(t).resolvesTo()).isEqualTo(10);
            assertThat(m.get(t).via().level()).isZero();
        }
        // 20 is a compaction boundary: the L1 file lands on it (wider than L0 20..20).
        assertThat(m.get(20L).exact()).isTrue();
        assertThat(m.get(20L).via().level()).isEqualTo(1);
        assertThat(m.get(20L).levels()).containsExactly(0, 1);
        assertThat(m.get(20L).header().level()).isZero();
        assertThat(m.get(21L).exact()).isTrue();
        assertThat(m.get(22L).via()).isEqualTo(f(0, 22, 22));
    }

    @Test
    void momentsBeforeTheOldestStartAreNotRestorable() {
        // History cut without a snapshot: L0 3..5 lost their predecessors; L1 1..6 starts at TXID 1.
        List<LtxFileInfo> files = List.of(f(0, 3, 3), f(0, 4, 4), f(0, 5, 5), f(1, 1, 6), f(0, 7, 7));
        assertThat(byTxid(files).keySet()).containsExactlyInAnyOrder(6L, 7L);
        assertThat(HistoryCalculator.moments(List.of())).isEmpty();
    }

    @Test
    void everyMomentAgreesWithThePlanner() throws Exception {
        Random rnd = new Random(13);
        for (int round = 0; round < 200; round++) {
            List<LtxFileInfo> files = randomReplica(rnd, 30 + rnd.nextInt(120));
            Map<Long, HistoryCalculator.Point> moments = byTxid(files);
            TreeSet<Long> ends = new TreeSet<>();
            files.forEach(f -> ends.add(f.maxTxid()));
            for (long txid : ends) {
                // A read just after the moment's time (times grow with TXID here, as in Litestream).
                RestoreTarget at = RestoreTarget.time(PlanCalculatorTest.f(0, txid, txid).createdAt().plusMillis(1));
                RestorePlan plan;
                try {
                    plan = PlanCalculator.calculate(files, at, "test");
                } catch (TargetUnavailableException e) {
                    assertThat(moments).as("round %d: TXID %d is not restorable", round, txid).doesNotContainKey(txid);
                    continue;
                }
                HistoryCalculator.Point p = moments.get(txid);
                assertThat(p).as("round %d: TXID %d", round, txid).isNotNull();
                assertThat(p.resolvesTo()).as("round %d: TXID %d", round, txid).isEqualTo(plan.txid());
                assertThat(p.exact()).isEqualTo(plan.txid() == txid);
                if (p.exact()) {
                    RestorePlan exact = PlanCalculator.calculate(files, RestoreTarget.txid(txid), "test");
                    assertThat(p.via()).as("round %d: TXID %d", round, txid).isEqualTo(exact.last());
                }
            }
        }
    }

    /** Litestream's shape with random retention: L0 per TXID, L1/L2 compactions, snapshots, deletions. */
    static List<LtxFileInfo> randomReplica(Random rnd, int txids) {
        List<LtxFileInfo> files = new ArrayList<>();
        int l1 = 2 + rnd.nextInt(8);
        int l2 = l1 * (2 + rnd.nextInt(3));
        long keepL0From = rnd.nextInt(txids);
        for (long t = 1; t <= txids; t++) {
            if (t >= keepL0From || rnd.nextInt(10) == 0) {
                files.add(f(0, t, t));
            }
            if (t % l1 == 0 && rnd.nextInt(6) != 0) {
                files.add(f(1, t - l1 + 1, t));
            }
            if (t % l2 == 0 && rnd.nextInt(3) != 0) {
                files.add(f(2, t - l2 + 1, t));
            }
            if (rnd.nextInt(40) == 0) {
                files.add(f(9, 1, t));
            }
        }
        return files;
    }
}
