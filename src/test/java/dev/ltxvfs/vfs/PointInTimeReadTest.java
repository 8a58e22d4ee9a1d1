package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.index.LiveReplica;
import dev.ltxvfs.store.LocalDirStore;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Store;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PRAGMA litestream_time at every recorded moment of a history with a snapshot, L1 and L2
 * compactions and L0 retention (older moments resolve to the coarser levels, as in Litestream):
 * exactly the recorded answers, on a local directory and on S3; 'latest' returns to the present.
 */
class PointInTimeReadTest {
    static final int TXIDS = 150;
    static final long L0_DELETED_UP_TO = 100;

    @TempDir
    static Path dir;
    static Primary primary;
    /** TXIDs a plan can end at: L1 ends where L0 was removed, every TXID after. */
    static final TreeSet<Long> reachable = new TreeSet<>();

    @BeforeAll
    static void writeHistory() throws Exception {
        primary = new Primary(dir);
        for (int i = 1; i <= TXIDS; i++) {
            primary.randomCommit();
            if (i == 60) {
                primary.writer.snapshot(primary.db, Primary.timeOf(i));
            }
            if (i % 10 == 0) {
                primary.writer.compact(1);
            }
            if (i % 50 == 0) {
                primary.writer.compact(2);
            }
        }
        primary.writer.deleteCompacted(0, Primary.timeOf(L0_DELETED_UP_TO + 1));
        for (long t = 1; t <= TXIDS; t++) {
            if (t > L0_DELETED_UP_TO || t % 10 == 0) {
                reachable.add(t);
            }
        }
    }

    @AfterAll
    static void close() throws SQLException {
        primary.close();
    }

    static void setTime(Connection c, String when) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA litestream_time = '" + when + "'");
        }
    }

    static long txid(Connection c) throws SQLException {
        return Long.parseLong(LitestreamVfsTest.rows(c, "PRAGMA litestream_txid").getFirst().replace("|", ""), 16);
    }

    /** Reads every recorded moment; returns the most header reads one switch needed. */
    static long readEveryMoment(String name, LiveReplica replica) throws Exception {
        long worst = 0;
        try (Connection c = LiveHarness.connect(name)) {
            for (long t = 10; t <= TXIDS; t++) {
                Instant at = Primary.timeOf(t).plusMillis(500);
                long want = reachable.floor(t);
                long before = replica.headerTimesFetched();
                setTime(c, at.toString());
                worst = Math.max(worst, replica.headerTimesFetched() - before);
                assertThat(txid(c)).as("TXID at %s", at).isEqualTo(want);
                assertThat(LitestreamVfsTest.rows(c, Primary.SUMMARY)).as("at %s", at).isEqualTo(primary.answers.get(want));
                assertThat(LitestreamVfsTest.rows(c, "PRAGMA litestream_time"))
                        .containsExactly(Primary.timeOf(want) + "|");
            }
            // Exactly on a commit's time that commit is not yet "before".
            setTime(c, Primary.timeOf(TXIDS).toString());
            assertThat(txid(c)).isEqualTo(TXIDS - 1);

            setTime(c, "Latest");
            assertThat(txid(c)).isEqualTo(TXIDS);
            assertThat(LitestreamVfsTest.rows(c, Primary.SUMMARY)).isEqualTo(primary.answers.get((long) TXIDS));

            // Before everything kept: an error naming the oldest time (L1 1..10), and the view stays.
            setTime(c, Primary.timeOf(50).toString());
            assertThatThrownBy(() -> setTime(c, Primary.T0.toString()))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("oldest state")
                    .hasMessageContaining(Primary.timeOf(10).toString());
            assertThat(txid(c)).isEqualTo(40);
        }
        return worst;
    }

    static void readAll(String name, ReplicaStore store, long maxHeaderReads) throws Exception {
        ReplicaDatabase db = LiveHarness.serve(name, store, new PageCache(8 << 20));
        try {
            long worst = readEveryMoment(name, db.replica());
            // Listing times and MaxTXID order decide most files: Litestream HEADs every object.
            assertThat(worst).isLessThanOrEqualTo(maxHeaderReads);
        } finally {
            Ltxvfs.unregister(name);
        }
    }

    @Test
    void everyRecordedMomentOnALocalDirectory() throws Exception {
        // mtime = header time: only what lies within the second of slack is read.
        readAll("pitr-local", new LocalDirStore(primary.replicaDir()), 8);
    }

    @Test
    void everyRecordedMomentOnS3() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("pitr-read");
        List<String> keys = ReplicaUpload.upload(primary.replicaDir(), s3.client(), bucket, "db");
        assertThat(keys.size()).isGreaterThan(60);
        // Uploaded now, so every LastModified is after every header time: the worst case.
        readAll("pitr-s3", new S3Store(ReplicaUrl.parse(s3.replicaUrl(bucket, "db")), s3.options()), keys.size() / 4);
    }
}
