package dev.ltxvfs.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.RequestRate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveReplicaTest {
    static final java.time.Duration WAIT = IndexBuilderTest.WAIT;

    @TempDir
    Path dir;

    @Test
    void anIdlePollCostsOneListAndNoGet() throws Exception {
        History h = new History(3, 30, 20);
        ReplicaFixture fx = new ReplicaFixture(dir, IndexBuilderTest.PAGE);
        for (long t = 1; t <= 10; t++) {
            fx.write(h, 0, t, t);
        }
        try (LocalDirStore store = new LocalDirStore(dir)) {
            LiveReplica r = new LiveReplica(store);
            r.rebuild().await().atMost(WAIT);
            long lists = store.stats().lists.sum();
            long gets = store.stats().gets.sum();
            for (int i = 0; i < 5; i++) {
                assertThat(r.poll().await().atMost(WAIT)).isFalse();
            }
            assertThat(store.stats().lists.sum() - lists).isEqualTo(5);
            assertThat(store.stats().gets.sum() - gets).isZero();
            RequestRate.PerMinute idle = r.requestsPerMinute();
            assertThat(idle).isNotNull();
            assertThat(idle.gets()).isZero();
            assertThat(idle.lists()).isPositive();

            // New files: one tail read each (small files hold their header), still one LIST.
            for (long t = 11; t <= 13; t++) {
                fx.write(h, 0, t, t);
            }
            lists = store.stats().lists.sum();
            gets = store.stats().gets.sum();
            assertThat(r.poll().await().atMost(WAIT)).isTrue();
            assertThat(store.stats().lists.sum() - lists).isEqualTo(1);
            assertThat(store.stats().gets.sum() - gets).isEqualTo(3);
            IndexBuilderTest.assertResolves(r.current(), store, h, 13);
        }
    }

    @Test
    void aLevelZeroGapIsCrossedWithAStraddlingLevelOneFile() throws Exception {
        History h = new History(5, 40, 20);
        ReplicaFixture fx = new ReplicaFixture(dir, IndexBuilderTest.PAGE);
        for (long t = 1; t <= 10; t++) {
            fx.write(h, 0, t, t);
        }
        try (LocalDirStore store = new LocalDirStore(dir)) {
            LiveReplica r = new LiveReplica(store);
            r.rebuild().await().atMost(WAIT);
            // Compaction ran over 6..20 (straddling our TXID 10) and L0 6..19 were deleted.
            for (long t = 11; t <= 20; t++) {
                fx.write(h, 0, t, t);
            }
            fx.write(h, 1, 6, 20);
            for (long t = 6; t <= 19; t++) {
                Files.delete(store.levelDir(0).resolve(String.format("%016x-%016x.ltx", t, t)));
            }
            for (long t = 21; t <= 23; t++) {
                fx.write(h, 0, t, t);
            }
            assertThat(r.poll().await().atMost(WAIT)).isTrue();
            assertThat(r.bridges.sum()).isEqualTo(1);
            assertThat(r.rebuilds.sum()).isEqualTo(1); // only the first build
            IndexBuilderTest.assertResolves(r.current(), store, h, 23);
        }
    }

    @Test
    void aFailedPollIsRetriedAndLagKeepsCountingFromTheLastSuccess() throws Exception {
        History h = new History(9, 20, 20);
        ReplicaFixture fx = new ReplicaFixture(dir, IndexBuilderTest.PAGE);
        fx.write(h, 0, 1, 1);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            LiveReplica r = new LiveReplica(store);
            r.rebuild().await().atMost(WAIT);
            var success = r.lastSuccess();
            // A new file the poll cannot read (corrupt): the poll fails, state and lastSuccess stay.
            Files.write(store.levelDir(0).resolve(String.format("%016x-%016x.ltx", 2, 2)), new byte[200]);
            assertThat(IndexBuilderTest.failureOf(r.poll())).isNotNull();
            assertThat(r.pollFailures.sum()).isEqualTo(1);
            assertThat(r.lastFailure()).isNotNull();
            assertThat(r.lastSuccess()).isEqualTo(success);
            assertThat(r.current().txid()).isEqualTo(1);
            // Fixed by the next tick.
            fx.write(h, 0, 2, 2);
            assertThat(r.poll().await().atMost(WAIT)).isTrue();
            assertThat(r.lastFailure()).isNull();
            assertThat(r.lastSuccess()).isAfterOrEqualTo(success);
            IndexBuilderTest.assertResolves(r.current(), store, h, 2);
        }
    }
}
