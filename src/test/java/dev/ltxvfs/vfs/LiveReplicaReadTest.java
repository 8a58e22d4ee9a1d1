package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.index.LiveReplica;
import dev.ltxvfs.store.LocalDirStore;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live replica read while its primary writes: our writer commits continuously, a poller polls
 * every {@link LiveHarness#POLL}, readers check every read transaction against the answer the
 * primary recorded for the TXID that transaction reports.
 */
class LiveReplicaReadTest {
    @TempDir
    Path dir;
    String name;

    @AfterEach
    void unregister() {
        if (name != null) {
            Ltxvfs.unregister(name);
        }
    }

    /** Lets the writer run at most {@code ahead} TXIDs in front of the replica. */
    static void keepWithin(Primary p, LiveReplica r, long ahead) throws InterruptedException {
        LiveHarness.await("the replica is within " + ahead + " TXIDs of " + p.writer.txid(),
                () -> r.current().txid() >= p.writer.txid() - ahead);
    }

    @Test
    void everyReadSeesOneCommittedStateNeverGoesBackAndCatchesUpWithinTwoPolls() throws Exception {
        name = "live-consistent";
        try (Primary p = new Primary(dir)) {
            for (int i = 0; i < 30; i++) {
                p.randomCommit();
            }
            ReplicaDatabase db = LiveHarness.serve(name, new LocalDirStore(p.replicaDir()), new PageCache(8 << 20));
            LiveReplica r = db.replica();
            try (var poller = new LiveHarness.Poller(db);
                    var readers = new LiveHarness.Readers(name, 4, p.answers, Primary.SUMMARY)) {
                for (int i = 0; i < 400 && readers.failures.isEmpty(); i++) {
                    p.randomCommit();
                    keepWithin(p, r, 40);
                }
                long last = p.writer.txid();
                long pollsAtStop = r.polls.sum();
                LiveHarness.await("the replica reaches TXID " + last, () -> r.current().txid() == last);
                // The poll running when the writer stopped may have listed too early; the next sees it.
                assertThat(r.polls.sum() - pollsAtStop).isLessThanOrEqualTo(2);
                LiveHarness.await("readers see TXID " + last, () -> readers.txidsSeen.contains(last));
                readers.close();
                assertThat(readers.failures).isEmpty();
                assertThat(readers.transactions.get()).isGreaterThan(100);
                assertThat(readers.txidsSeen.size()).isGreaterThan(5); // they really read a moving replica
            }
            assertThat(r.pollFailures.sum()).isZero();
            // the writer never runs more than 40 TXIDs ahead: 400 commits need at least 10 advances
            assertThat(r.advances.sum()).isGreaterThanOrEqualTo(400 / 40);
        }
    }

    @Test
    void compactionAndRetentionWhileReadingNeverGiveAnErrorOrAWrongAnswer() throws Exception {
        name = "live-compacting";
        try (Primary p = new Primary(dir)) {
            // A table nobody changes: its pages stay in the first level-0 files until retention
            // removes those, so readers (with a cache too small to keep them) must re-plan.
            p.execute("CREATE TABLE fixed(id INTEGER PRIMARY KEY, body BLOB)");
            p.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<400) "
                    + "INSERT INTO fixed SELECT i, randomblob(300) FROM n");
            p.ship();
            for (int i = 0; i < 20; i++) {
                p.randomCommit();
            }
            String summary = Primary.SUMMARY + " UNION ALL SELECT count(*), sum(length(body)), max(id), 0 FROM fixed";
            var answers = new java.util.concurrent.ConcurrentHashMap<Long, java.util.List<String>>();
            ReplicaDatabase db = LiveHarness.serve(name, new LocalDirStore(p.replicaDir()), new PageCache(64 << 10, 0));
            LiveReplica r = db.replica();
            answers.put(p.writer.txid(), p.query(summary));
            try (var poller = new LiveHarness.Poller(db)) {
                try (var readers = new LiveHarness.Readers(name, 3, answers, summary)) {
                    for (int i = 0; i < 600 && readers.failures.isEmpty(); i++) {
                        long next = p.writer.txid() + 1;
                        // recorded before the commit is shipped, like Primary.commit does
                        p.execute("UPDATE items SET v = v + 1 WHERE id % 29 = " + (i % 29));
                        answers.put(next, p.query(summary));
                        p.ship();
                        if (i % 25 == 24) {
                            p.writer.compact(1);
                            // Litestream keeps compacted L0 files for l0-retention (5 min): here 150 commits.
                            p.writer.deleteCompacted(0, p.now().minusSeconds(150));
                        }
                        keepWithin(p, r, 20);
                    }
                    readers.close();
                    assertThat(readers.failures).isEmpty();
                    assertThat(readers.transactions.get()).isGreaterThan(50);
                }
                assertThat(r.replans.sum()).as("re-plans after a 404").isPositive();

                // The poller stalls longer than retention: level 0 loses files it never saw, and
                // it must cross the gap through level 1 (Litestream's VFS wedges here).
                poller.paused = true;
                for (int i = 0; i < 40; i++) {
                    long next = p.writer.txid() + 1;
                    p.execute("UPDATE items SET v = v + 2 WHERE id % 7 = " + (i % 7));
                    answers.put(next, p.query(summary));
                    p.ship();
                }
                p.writer.compact(1);
                p.writer.deleteCompacted(0, p.now());
                long bridges = r.bridges.sum();
                poller.paused = false;
                long last = p.writer.txid();
                LiveHarness.await("the replica reaches TXID " + last, () -> r.current().txid() == last);
                assertThat(r.bridges.sum()).as("level-1 bridges").isGreaterThan(bridges);
                assertThat(r.rebuilds.sum()).as("no rebuild was needed").isEqualTo(1);
                try (var readers = new LiveHarness.Readers(name, 2, answers, summary)) {
                    LiveHarness.await("readers see TXID " + last, () -> readers.txidsSeen.contains(last));
                    readers.close();
                    assertThat(readers.failures).isEmpty();
                }
            }
        }
    }

    @Test
    void vacuumShrinksTheReplicaToExactlyThePrimary() throws Exception {
        name = "live-vacuum";
        try (Primary p = new Primary(dir)) {
            p.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<3000) "
                    + "INSERT INTO items SELECT i, i % 100, randomblob(200) FROM n");
            p.ship();
            ReplicaDatabase db = LiveHarness.serve(name, new LocalDirStore(p.replicaDir()), new PageCache(8 << 20));
            int before = db.replica().current().commit();
            p.execute("DELETE FROM items WHERE id > 100");
            p.ship(); // freed pages stay in the file until VACUUM
            p.execute("VACUUM");
            long shrunk = p.ship();
            assertThat(db.poll().get()).isTrue();
            assertThat(db.replica().current().txid()).isEqualTo(shrunk);
            String[] queries = {Primary.SUMMARY, "PRAGMA page_count", "SELECT id, v, hex(body) FROM items ORDER BY id",
                "PRAGMA integrity_check"};
            try (Connection c = LiveHarness.connect(name)) {
                for (String q : queries) {
                    assertThat(LitestreamVfsTest.rows(c, q)).as(q).isEqualTo(p.query(q));
                }
            }
            int after = db.replica().current().commit();
            assertThat(after).isLessThan(before / 5).isEqualTo(Integer.parseInt(p.query("PRAGMA page_count").getFirst().replace("|", "")));
        }
    }
}
