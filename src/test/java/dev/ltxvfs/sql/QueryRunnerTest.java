package dev.ltxvfs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.vfs.Lease;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query runner over a real local replica: limits, parameters, points in time, errors. */
class QueryRunnerTest {
    static final String DB = "runner-test";
    static final String SLOW = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 200000000) SELECT count(*) FROM n";
    @TempDir
    static Path dir;
    static Instant firstCommit;
    static WorkerPool workers;
    static QueryRunner runner;

    @BeforeAll
    static void replica() throws Exception {
        Path db = dir.resolve("p.db");
        ReplicaWriter w = new ReplicaWriter(dir.resolve("replica"));
        firstCommit = Instant.parse("2026-03-01T10:00:00Z");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, big INTEGER, b BLOB)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<1000) "
                    + "INSERT INTO t SELECT i, 'name-' || i, 9007199254740993, x'00ff' FROM n");
            w.commit(db, firstCommit);
            s.execute("DELETE FROM t WHERE id > 500");
            w.commit(db, firstCommit.plusSeconds(60));
        }
        Ltxvfs.register(DB, "file://" + dir.resolve("replica"));
        workers = new WorkerPool(2, 2);
        runner = new QueryRunner(Ltxvfs.registry(), workers, Duration.ofSeconds(30), 300, 20_000);
    }

    @AfterAll
    static void close() {
        workers.close();
        Ltxvfs.unregister(DB);
    }

    static QueryResult run(String sql, Object params, String at, Integer maxRows) {
        return runner.query(new QueryRequest(DB, sql, params, at, maxRows)).join();
    }

    static QueryException.Kind failure(QueryRunner r, String db, String sql, String at) {
        try {
            r.query(new QueryRequest(db, sql, null, at, null)).join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(QueryException.class);
            return ((QueryException) e.getCause()).kind();
        }
        throw new AssertionError("expected " + sql + " to fail");
    }

    @Test
    void answersCarryValuesTxidAndTime() {
        QueryResult r = run("SELECT id, big, b, NULL AS n FROM t WHERE id = ?", List.of(7), null, null);
        assertThat(r.columns()).containsExactly("id", "big", "b", "n");
        assertThat(r.rows()).hasSize(1);
        assertThat(r.rows().getFirst()[1]).isEqualTo(9007199254740993L);
        assertThat((byte[]) r.rows().getFirst()[2]).containsExactly(0, 0xff);
        assertThat(r.rows().getFirst()[3]).isNull();
        assertThat(r.txid()).isEqualTo("0000000000000002");
        assertThat(r.time()).isEqualTo("2026-03-01T10:01:00Z");
    }

    @Test
    void namedParametersMapToSqlitePositions() {
        QueryResult r = run("SELECT :a + @b + $a, ?4", Map.of("a", 1, "@b", 10, "4", 0), null, null);
        assertThat(r.rows().getFirst()[0]).isEqualTo(12);
        assertThat(r.rows().getFirst()[1]).isEqualTo(0);
        assertThatThrownBy(() -> run("SELECT :a", Map.of("zz", 1), null, null))
                .hasCauseInstanceOf(QueryException.class).hasMessageContaining("zz");
    }

    @Test
    void rowAndByteLimitsTruncate() {
        assertThat(run("SELECT id FROM t", null, null, 10).rows()).hasSize(10);
        QueryResult capped = run("SELECT id FROM t", null, null, null);
        assertThat(capped.rows()).hasSize(300);
        assertThat(capped.truncated()).isTrue();
        // 1,000-character values against a 20,000-byte budget: cut at about 20 rows, well before 300.
        QueryResult bytes = run("SELECT printf('%.1000c', 'x') FROM t", null, null, null);
        assertThat(bytes.truncated()).isTrue();
        assertThat(bytes.rows().size()).isBetween(15, 20);
        QueryResult whole = run("SELECT id FROM t WHERE id <= 5", null, null, null);
        assertThat(whole.truncated()).isFalse();
        assertThat(whole.rows()).hasSize(5);
    }

    @Test
    void pointInTimeThroughAt() {
        assertThat(run("SELECT count(*) FROM t", null, "2026-03-01T10:00:30Z", null).rows().getFirst()[0]).isEqualTo(1000);
        assertThat(run("SELECT count(*) FROM t", null, null, null).rows().getFirst()[0]).isEqualTo(500);
        assertThat(failure(runner, DB, "SELECT 1 FROM t", "2020-01-01T00:00:00Z")).isEqualTo(QueryException.Kind.POINT_IN_TIME_UNAVAILABLE);
        assertThat(failure(runner, DB, "SELECT 1 FROM t", "not a time")).isEqualTo(QueryException.Kind.BAD_REQUEST);
        // the connection went back to the pool live again
        assertThat(run("PRAGMA litestream_txid", null, null, null).rows().getFirst()[0]).isEqualTo("0000000000000002");
    }

    @Test
    void errorsAreClassified() {
        assertThat(failure(runner, DB, "SELECT nope FROM t", null)).isEqualTo(QueryException.Kind.SQL_ERROR);
        assertThat(failure(runner, DB, "DELETE FROM t", null)).isEqualTo(QueryException.Kind.READ_ONLY);
        assertThat(failure(runner, "nosuch", "SELECT 1", null)).isEqualTo(QueryException.Kind.UNKNOWN_DATABASE);
        assertThat(failure(runner, DB, "  ", null)).isEqualTo(QueryException.Kind.BAD_REQUEST);
    }

    @Test
    void aQueryPastItsTimeoutIsInterruptedAndItsWorkerFreed() {
        try (WorkerPool one = new WorkerPool(1, 1)) {
            QueryRunner quick = new QueryRunner(Ltxvfs.registry(), one, Duration.ofMillis(300), 10);
            assertThat(failure(quick, DB, SLOW, null)).isEqualTo(QueryException.Kind.TIMEOUT);
            assertThat(quick.query(new QueryRequest(DB, "SELECT count(*) FROM t", null, null, null)).join().rows().getFirst()[0])
                    .isEqualTo(500);
        }
    }

    @Test
    void aFullPoolRefusesAtOnce() {
        try (WorkerPool one = new WorkerPool(1, 1)) {
            QueryRunner busy = new QueryRunner(Ltxvfs.registry(), one, Duration.ofSeconds(2), 10);
            List<CompletableFuture<QueryResult>> running = new ArrayList<>();
            running.add(busy.query(new QueryRequest(DB, SLOW, null, null, null)));
            running.add(busy.query(new QueryRequest(DB, SLOW, null, null, null)));
            assertThat(failure(busy, DB, "SELECT 1", null)).isEqualTo(QueryException.Kind.OVERLOADED);
            running.forEach(f -> f.exceptionally(e -> null).join());
        }
    }

    @Test
    void openAheadLeavesOneConnectionTheFirstQueryTakes() throws Exception {
        String db = "runner-ahead";
        Ltxvfs.register(db, "file://" + dir.resolve("replica"));
        try {
            runner.openAhead(db).join();
            assertThat(idle(db)).isEqualTo(1);
            runner.openAhead(db).join(); // one is enough
            assertThat(idle(db)).isEqualTo(1);
            assertThat(runner.query(new QueryRequest(db, "SELECT count(*) FROM t", null, null, null)).join().rows().getFirst()[0])
                    .isEqualTo(500);
            assertThat(idle(db)).as("the query took that connection and gave it back, opening none").isEqualTo(1);
        } finally {
            Ltxvfs.unregister(db);
        }
    }

    @Test
    void openAheadStandsAsideWhileHalfTheWorkersAreBusy() throws Exception {
        String db = "runner-ahead-busy";
        Ltxvfs.register(db, "file://" + dir.resolve("replica"));
        CountDownLatch hold = new CountDownLatch(1);
        try (WorkerPool two = new WorkerPool(2, 2)) {
            QueryRunner r = new QueryRunner(Ltxvfs.registry(), two, Duration.ofSeconds(5), 10);
            CompletableFuture<Object> busy = two.submit(() -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            while (two.active() == 0) {
                Thread.onSpinWait();
            }
            r.openAhead(db).join();
            assertThat(idle(db)).isZero();
            hold.countDown();
            busy.join();
            while (two.active() > 0) {
                Thread.onSpinWait();
            }
            r.openAhead(db).join();
            assertThat(idle(db)).isEqualTo(1);
        } finally {
            hold.countDown();
            Ltxvfs.unregister(db);
        }
    }

    static int idle(String db) throws Exception {
        try (Lease lease = Ltxvfs.registry().acquire(db)) {
            return QueryRunner.pool(lease).idle();
        }
    }
}
