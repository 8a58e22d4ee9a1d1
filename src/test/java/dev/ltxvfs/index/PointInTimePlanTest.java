package dev.ltxvfs.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Store;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time plans go by LTX header times (Litestream's definition) while reading only the
 * headers that decide the plan. The replica has Litestream's shape: one L0 file a second, L1
 * every 30 s, L2 every 2 min, a snapshot, and L0 retention that removed the older L0 files.
 * The oracle is the plan over every file's exact header time.
 */
class PointInTimePlanTest {
    static final int TXIDS = 400;
    static final long RETAINED_L0_FROM = 301;

    @TempDir
    static Path dir;
    static History history;
    /** Every file with createdAt = its header time. */
    static final List<LtxFileInfo> exact = new ArrayList<>();

    @BeforeAll
    static void writeReplica() throws IOException {
        history = new History(7, TXIDS, 40);
        ReplicaFixture fx = new ReplicaFixture(dir, IndexBuilderTest.PAGE);
        for (long t = RETAINED_L0_FROM; t <= TXIDS; t++) {
            exact.add(fx.write(history, 0, t, t));
        }
        for (long t = 1; t <= TXIDS; t += 30) {
            exact.add(fx.write(history, 1, t, Math.min(TXIDS, t + 29)));
        }
        for (long t = 1; t <= 360; t += 120) {
            exact.add(fx.write(history, 2, t, t + 119));
        }
        exact.add(fx.write(history, 9, 1, 200));
    }

    /** The state Litestream's definition gives at {@code t}: the plan over exact header times. */
    static long expectedTxid(Instant t) throws RestorePlanException {
        return PlanCalculator.calculate(exact, RestoreTarget.time(t), "oracle").txid();
    }

    /** Target times across the whole history: on, just after and between commits. */
    static List<Instant> targets() {
        List<Instant> out = new ArrayList<>();
        for (long t = 31; t <= TXIDS + 5; t += 7) {
            out.add(ReplicaFixture.timeOf(t));
            out.add(ReplicaFixture.timeOf(t).plusMillis(1));
            out.add(ReplicaFixture.timeOf(t).plusMillis(400));
        }
        return out;
    }

    /** Plans every target; returns the most header reads one request needed. */
    static long checkAll(ReplicaStore store) throws Exception {
        return checkAll(store, 1);
    }

    /** As {@link #checkAll(ReplicaStore)}, every {@code stride}-th target (requests cost more on S3). */
    static long checkAll(ReplicaStore store, int stride) throws Exception {
        IndexBuilder builder = new IndexBuilder(store);
        long worst = 0;
        List<Instant> targets = targets();
        for (int i = 0; i < targets.size(); i += stride) {
            Instant t = targets.get(i);
            long before = builder.planner().headerTimesFetched();
            long want = expectedTxid(t);
            IndexSnapshot s = builder.open(RestoreTarget.time(t)).await().atMost(IndexBuilderTest.WAIT);
            assertThat(s.txid()).as("state at %s", t).isEqualTo(want);
            assertThat(s.timestamp()).isBefore(t);
            if (i % (6 * stride) == 0) { // every page read back: a sample is enough
                IndexBuilderTest.assertResolves(s, store, history, want);
            }
            worst = Math.max(worst, builder.planner().headerTimesFetched() - before);
        }
        return worst;
    }

    @Test
    void aLocalReplicaWithExactMtimesReadsOnlyHeadersWithinTheSlack() throws Exception {
        try (LocalDirStore store = new LocalDirStore(dir)) {
            // mtime = header time: only files listed within a second of the target are in doubt.
            assertThat(checkAll(store)).isLessThanOrEqualTo(6);
        }
    }

    @Test
    void uploadTimesLikeLitestreamsCostAHandfulOfHeaderReads() throws Exception {
        // L0 uploaded 0.3 s after its commit, L1 up to 30 s later, L2 up to 2 min, the snapshot 10 s.
        try (ReplicaStore store = new ListedLaterStore(new LocalDirStore(dir), f -> switch (f.level()) {
            case 0 -> Duration.ofMillis(300);
            case 1 -> Duration.ofSeconds(25);
            case 2 -> Duration.ofSeconds(100);
            default -> Duration.ofSeconds(10);
        })) {
            assertThat(checkAll(store)).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void onS3EveryObjectListedLaterStillCostsFarFewerReadsThanObjects() throws Exception {
        // Uploaded now: every LastModified is long after every header time, the worst case.
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("pitr");
        List<String> keys = ReplicaUpload.upload(dir, s3.client(), bucket, "db");
        assertThat(keys).hasSize(exact.size());
        try (S3Store store = new S3Store(ReplicaUrl.parse(s3.replicaUrl(bucket, "db")), s3.options())) {
            long worst = checkAll(store, 5);
            assertThat(worst).isLessThan(exact.size() / 5);

            // One whole request, counted at the store: the headers and the plan's tails (Litestream: a HEAD per object).
            Instant t = ReplicaFixture.timeOf(333).plusMillis(500);
            long gets = store.stats().gets.sum();
            IndexSnapshot s = new IndexBuilder(store).open(RestoreTarget.time(t)).await().atMost(IndexBuilderTest.WAIT);
            long used = store.stats().gets.sum() - gets;
            assertThat(s.txid()).isEqualTo(333);
            assertThat(used).isLessThan(exact.size() / 5);
        }
    }

    @Test
    void aTimeBeforeEverythingKeptNamesTheOldestHeaderTime() throws Exception {
        try (ReplicaStore store = new ListedLaterStore(new LocalDirStore(dir), f -> Duration.ofHours(1))) {
            Throwable e = IndexBuilderTest.failureOf(new IndexBuilder(store).open(
                    RestoreTarget.time(ReplicaFixture.timeOf(20))));
            assertThat(e).isInstanceOf(TargetUnavailableException.class)
                    .hasMessageContaining("oldest state")
                    // L1 1..30 is the oldest start; its header says T0+30s, its listing an hour more.
                    .hasMessageContaining(ReplicaFixture.timeOf(30).toString());
            assertThat(((TargetUnavailableException) e).oldestAvailable()).isEqualTo(ReplicaFixture.timeOf(30));
        }
    }

}
