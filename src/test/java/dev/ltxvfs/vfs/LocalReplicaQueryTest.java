package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL through the whole read path (local directory store, restore plan over levels 0, 1, 2 and a
 * snapshot, parallel index build, shared cache, VFS) equals plain SQLite on the same state,
 * now and at recorded moments in the past.
 */
class LocalReplicaQueryTest {
    @TempDir
    static Path dir;
    static Path db;
    static ReplicaDatabase served;
    static final Map<Instant, List<String>> history = new LinkedHashMap<>();
    static final String SUMMARY = "SELECT count(*), sum(v), max(id) FROM items";

    @BeforeAll
    static void writeReplica() throws Exception {
        db = dir.resolve("primary.db");
        ReplicaWriter w = new ReplicaWriter(dir.resolve("replica"));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, v INTEGER, body BLOB)");
            s.execute("CREATE INDEX items_name ON items(name)");
            for (int tx = 0; tx < 120; tx++) {
                int base = tx * 50;
                s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<50) "
                        + "INSERT INTO items SELECT " + base + "+i, 'n' || ((" + base + "+i)*7 % 997), i, randomblob(40) FROM n");
                if (tx % 7 == 3) {
                    s.execute("DELETE FROM items WHERE id % 11 = " + (tx % 11));
                }
                Instant at = t0.plusSeconds(60L * tx);
                w.commit(db, at);
                history.put(at, rows(c, SUMMARY));
                if (tx == 40) {
                    w.snapshot(db, at);
                }
                if (tx % 10 == 9) {
                    w.compact(1);
                }
                if (tx % 30 == 29) {
                    w.compact(2);
                }
            }
        }
        served = Ltxvfs.register("local-items", "file://" + dir.resolve("replica"));
    }

    @AfterAll
    static void unregister() {
        Ltxvfs.unregister("local-items");
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        return LitestreamVfsTest.rows(c, sql);
    }

    @Test
    void queriesEqualPlainSqlite() throws Exception {
        String[] queries = {
            SUMMARY,
            "SELECT * FROM items WHERE id = (SELECT max(id) - 3 FROM items)",
            "SELECT id, name FROM items WHERE name BETWEEN 'n100' AND 'n130' ORDER BY name, id",
            "SELECT a.id, b.id FROM items a JOIN items b ON a.name = b.name AND a.id < b.id WHERE a.id > 4000 ORDER BY 1, 2 LIMIT 50",
            "SELECT hex(body) FROM items ORDER BY v DESC, id LIMIT 20",
            "SELECT name, count(*) FROM items GROUP BY name ORDER BY 2 DESC, 1 LIMIT 10",
        };
        try (Connection replica = DriverManager.getConnection("jdbc:sqlite:file:local-items?vfs=litestream");
                Connection plain = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (String q : queries) {
                assertThat(rows(replica, q)).as(q).isNotEmpty().isEqualTo(rows(plain, q));
            }
            assertThat(rows(replica, "PRAGMA litestream_txid")).containsExactly(String.format("%016x|", 120));
            assertThat(rows(replica, "PRAGMA integrity_check")).containsExactly("ok|");
        }
    }

    @Test
    void pointInTimeReadsReturnTheRecordedAnswers() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:local-items?vfs=litestream")) {
            int checked = 0;
            for (Map.Entry<Instant, List<String>> e : history.entrySet()) {
                // The state after the last transaction written strictly before the given time.
                Instant ask = e.getKey().plusMillis(500);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA litestream_time = '" + ask + "'");
                }
                assertThat(rows(c, SUMMARY)).as("at %s", ask).isEqualTo(e.getValue());
                checked++;
            }
            assertThat(checked).isEqualTo(120);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA litestream_time = 'LATEST'");
            }
            assertThat(rows(c, "PRAGMA litestream_txid")).containsExactly(String.format("%016x|", 120));
        }
    }

    @Test
    void aTimeBeforeRetentionOrUnparseableKeepsThePreviousView() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:local-items?vfs=litestream")) {
            List<String> before = rows(c, SUMMARY);
            assertThatThrownBy(() -> rows(c, "PRAGMA litestream_time = '2020-01-01T00:00:00Z'"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> rows(c, "PRAGMA litestream_time = 'last tuesday-ish'"))
                    .hasMessageContaining("invalid time");
            assertThat(rows(c, SUMMARY)).isEqualTo(before);
        }
    }

    @Test
    void manyThreadsShareOneCache() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> expected;
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            expected = rows(plain, SUMMARY);
        }
        for (int i = 0; i < 8; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:local-items?vfs=litestream")) {
                    for (int k = 0; k < 20; k++) {
                        assertThat(rows(c, SUMMARY)).isEqualTo(expected);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        // Warm now: the same query again costs no GET at all.
        ReplicaDatabase rdb = served;
        long gets = rdb.replica().store().stats().gets.sum();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:local-items?vfs=litestream")) {
            assertThat(rows(c, SUMMARY)).isEqualTo(expected);
        }
        assertThat(rdb.replica().store().stats().gets.sum()).isEqualTo(gets);
    }

}
