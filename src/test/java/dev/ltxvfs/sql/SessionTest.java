package dev.ltxvfs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.ReplicaDatabase;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several statements on one connection and one snapshot, even while the replica advances. */
class SessionTest {
    @TempDir
    static Path dir;
    static Path db;
    static ReplicaWriter writer;
    static ReplicaDatabase replica;
    static WorkerPool workers;
    static QueryRunner runner;

    @BeforeAll
    static void setUp() throws Exception {
        db = dir.resolve("primary.db");
        writer = new ReplicaWriter(dir.resolve("replica"));
        insert(10);
        replica = Ltxvfs.register("session-test", "file://" + dir.resolve("replica"));
        replica.start().join();
        workers = new WorkerPool(2, 4);
        runner = new QueryRunner(Ltxvfs.registry(), workers, Duration.ofSeconds(2), 1000);
    }

    @AfterAll
    static void tearDown() {
        workers.close();
        Ltxvfs.unregister("session-test");
    }

    static void insert(int rows) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + rows + ") "
                    + "INSERT INTO t(v) SELECT 'v' || i FROM n");
        }
        writer.commit(db, Instant.now());
    }

    static long count(Session s) {
        return ((Number) s.execute("SELECT count(*) FROM t", List.of(), Map.of(), true).rows().get(0)[0]).longValue();
    }

    @Test
    void oneSnapshotForTheWholeSessionWhileTheReplicaAdvances() throws Exception {
        long[] seen = runner.session("session-test", s -> {
            long before = count(s);
            try {
                insert(5);
                assertThat(replica.poll().join()).isTrue();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return new long[] {before, count(s)};
        }).join();
        assertThat(seen[1]).isEqualTo(seen[0]);
        long after = runner.session("session-test", SessionTest::count).join();
        assertThat(after).isEqualTo(seen[0] + 5);
    }

    @Test
    void bindsPositionalAndNamedAndFailsPerStatement() {
        List<Object> out = runner.session("session-test", s -> {
            Object a = s.execute("SELECT ?, :x, $x", List.of(7L), Map.of("x", "named"), true).rows().get(0)[1];
            assertThatThrownBy(() -> s.execute("DELETE FROM t", List.of(), Map.of(), true))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.READ_ONLY));
            assertThatThrownBy(() -> s.execute("SELECT nope", List.of(), Map.of(), true))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage()).isEqualTo("no such column: nope"));
            Session.Result r = s.execute("SELECT id, v FROM t WHERE id = 1", List.of(), Map.of(), false);
            return List.of(a, r.columns(), r.declTypes(), r.rows().size());
        }).join();
        assertThat(out).containsExactly("named", List.of("id", "v"), List.of("INTEGER", "TEXT"), 0);
    }

    @Test
    void transactionStatementsFollowSqliteRules() {
        runner.session("session-test", s -> {
            assertThat(s.inTransaction()).isFalse();
            s.execute("BEGIN TRANSACTION READONLY", List.of(), Map.of(), false);
            assertThat(s.inTransaction()).isTrue();
            assertThatThrownBy(() -> s.execute("BEGIN", List.of(), Map.of(), false)).hasMessageContaining("within a transaction");
            s.execute("COMMIT", List.of(), Map.of(), false);
            assertThatThrownBy(() -> s.execute("ROLLBACK", List.of(), Map.of(), false)).hasMessageContaining("no transaction");
            assertThatThrownBy(() -> s.execute("BEGIN IMMEDIATE", List.of(), Map.of(), false))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.READ_ONLY));
            s.execute("BEGIN DEFERRED", List.of(), Map.of(), false);
            s.execute("END", List.of(), Map.of(), false);
            return null;
        }).join();
    }

    @Test
    void theTimeoutInterruptsAndLaterStatementsFailAtOnce() {
        List<String> kinds = runner.session("session-test", s -> {
            String first = kind(() -> s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT count(*) FROM n",
                    List.of(), Map.of(), true));
            String second = kind(() -> s.execute("SELECT 1", List.of(), Map.of(), true));
            return List.of(first, second);
        }).join();
        assertThat(kinds).containsExactly("TIMEOUT", "TIMEOUT");
        // The connection went back to the pool and works.
        assertThat(runner.session("session-test", s -> s.execute("SELECT 1", List.of(), Map.of(), true).rows().size()).join())
                .isEqualTo(1);
    }

    static String kind(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (QueryException e) {
            return e.kind().name();
        }
    }
}
