package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.index.LiveReplica;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Store;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store goes down: polls fail and are retried every tick, lag grows visibly, then it recovers. */
class PollOutageTest {
    @TempDir
    Path dir;

    static long lag(Connection c) throws Exception {
        return Long.parseLong(LitestreamVfsTest.rows(c, "PRAGMA litestream_lag").getFirst().replace("|", ""));
    }

    @Test
    void failedPollsAreRetriedLagGrowsAndTheReplicaRecovers() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("outage-poll");
        String name = "live-outage";
        try (Primary p = new Primary(dir)) {
            for (int i = 0; i < 5; i++) {
                p.randomCommit();
            }
            ReplicaUpload.upload(p.replicaDir(), s3.client(), bucket, "db");
            var options = s3.options().withRetries(2, Duration.ofSeconds(2)).withBackoff(Duration.ofMillis(20), Duration.ofMillis(50));
            ReplicaDatabase db = LiveHarness.serve(name,
                    new S3Store(ReplicaUrl.parse(s3.replicaUrl(bucket, "db")), options), new PageCache(8 << 20));
            LiveReplica r = db.replica();
            try (var poller = new LiveHarness.Poller(db); Connection c = LiveHarness.connect(name)) {
                assertThat(LitestreamVfsTest.rows(c, Primary.SUMMARY)).isEqualTo(p.answers.get(5L));
                LiveHarness.await("a successful poll", () -> r.polls.sum() > 1 && r.lastFailure() == null);
                s3.stop();
                long lagDuringOutage;
                try {
                    long failures = r.pollFailures.sum();
                    LiveHarness.await("three failed polls", () -> r.pollFailures.sum() >= failures + 3);
                    assertThat(r.lastFailure()).isNotNull();
                    LiveHarness.await("lag of 2 s", () -> r.lagSeconds() >= 2);
                    lagDuringOutage = lag(c);
                    assertThat(lagDuringOutage).isGreaterThanOrEqualTo(2);
                    // Cached pages still serve the last state.
                    assertThat(LitestreamVfsTest.rows(c, Primary.SUMMARY)).isEqualTo(p.answers.get(5L));
                } finally {
                    s3.start(); // same port; the in-memory backend lost the bucket
                }
                s3.ensureBucket(bucket);
                long last = 0;
                for (int i = 0; i < 3; i++) {
                    last = p.randomCommit();
                }
                ReplicaUpload.upload(p.replicaDir(), s3.client(), bucket, "db");
                long want = last;
                LiveHarness.await("recovery to TXID " + want, () -> r.current().txid() == want);
                LiveHarness.await("a clean poll", () -> r.lastFailure() == null);
                assertThat(lag(c)).isLessThan(lagDuringOutage);
                assertThat(LitestreamVfsTest.rows(c, Primary.SUMMARY)).isEqualTo(p.answers.get(want));
            } finally {
                Ltxvfs.unregister(name);
            }
        }
    }
}
