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
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions: pinned snapshots (also reopened from a TXID), transactions, describe, size limits, the timeout. */
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

    /** Runs {@code work} in a libSQL-style session, as one request of a stream. */
    static <T> T inSession(String txid, Function<Session, T> work) {
        Session s = runner.open("session-test", null, true, txid).join();
        try {
            return s.run(work).join();
        } finally {
            s.close();
        }
    }

    static List<Object[]> rows(Session s, String sql, List<?> positional, Map<?, ?> named) {
        try (Rows r = s.execute(sql, positional, named)) {
            return r.all(true);
        }
    }

    static long count(Session s) {
        return ((Number) rows(s, "SELECT count(*) FROM t", List.of(), Map.of()).get(0)[0]).longValue();
    }

    @Test
    void aTransactionReadsOneSnapshotWhileTheReplicaAdvancesAndAnotherSessionReopensIt() throws Exception {
        Session s = runner.open("session-test", null, true, null).join();
        try {
            long before = s.run(x -> {
                rows(x, "BEGIN TRANSACTION READONLY", List.of(), Map.of());
                return count(x);
            }).join();
            String txid = s.run(Session::transactionTxid).join();
            insert(5);
            assertThat(replica.poll().join()).isTrue();
            assertThat(s.run(SessionTest::count).join()).isEqualTo(before);
            // Another instance continues the transaction from its TXID alone: the same state, rebuilt.
            assertThat(inSession(txid, SessionTest::count)).isEqualTo(before);
            assertThat(inSession(null, SessionTest::count)).isEqualTo(before + 5);
            long after = s.run(x -> {
                rows(x, "COMMIT", List.of(), Map.of());
                return count(x);
            }).join();
            assertThat(after).isEqualTo(before + 5);
        } finally {
            s.close();
        }
    }

    @Test
    void aTransactionOnAStateTheReplicaNoLongerHoldsFailsClearly() {
        assertThatThrownBy(() -> inSession("00000000000fffff", SessionTest::count))
                .hasCauseInstanceOf(QueryException.class).hasMessageContaining("TXID 00000000000fffff");
    }

    @Test
    void bindsPositionalAndNamedAndFailsPerStatement() {
        List<Object> out = inSession(null, s -> {
            Object a = rows(s, "SELECT ?, :x, $x", List.of(7L), Map.of("x", "named")).get(0)[1];
            assertThatThrownBy(() -> s.execute("DELETE FROM t", List.of(), Map.of()))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.READ_ONLY));
            assertThatThrownBy(() -> s.execute("SELECT nope", List.of(), Map.of()))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.getMessage()).isEqualTo("no such column: nope"));
            try (Rows r = s.execute("SELECT id, v FROM t WHERE id = 1", List.of(), Map.of())) {
                return List.of(a, r.columns(), r.declTypes(), r.all(false).size());
            }
        });
        assertThat(out).containsExactly("named", List.of("id", "v"), List.of("INTEGER", "TEXT"), 0);
    }

    @Test
    void transactionStatementsFollowSqliteRules() {
        inSession(null, s -> {
            assertThat(s.inTransaction()).isFalse();
            rows(s, "BEGIN TRANSACTION READONLY", List.of(), Map.of());
            assertThat(s.inTransaction()).isTrue();
            assertThatThrownBy(() -> s.execute("BEGIN", List.of(), Map.of())).hasMessageContaining("within a transaction");
            rows(s, "COMMIT", List.of(), Map.of());
            assertThatThrownBy(() -> s.execute("ROLLBACK", List.of(), Map.of())).hasMessageContaining("no transaction");
            assertThatThrownBy(() -> s.execute("BEGIN IMMEDIATE", List.of(), Map.of()))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.READ_ONLY));
            assertThatThrownBy(() -> s.execute("BEGIN READONLY NOW", List.of(), Map.of())).hasMessageContaining("syntax error");
            rows(s, "BEGIN DEFERRED", List.of(), Map.of());
            rows(s, "END", List.of(), Map.of());
            return null;
        });
    }

    @Test
    void describeSaysWhatAStatementTakesAndGives() {
        Session.Description d = inSession(null, s -> s.describe("SELECT id, v AS value, ?2 + :x FROM t WHERE id = ?"));
        assertThat(d.params()).containsExactly(null, "?2", ":x", null);
        assertThat(d.columns().names()).containsExactly("id", "value", "?2 + :x");
        assertThat(d.columns().declTypes()).containsExactly("INTEGER", "TEXT", null);
        assertThat(d.explain()).isFalse();
        assertThat(d.readOnly()).isTrue();
        assertThat(inSession(null, s -> s.describe("DELETE FROM t")).readOnly()).isFalse();
        assertThat(inSession(null, s -> s.describe("EXPLAIN QUERY PLAN SELECT * FROM t")).explain()).isTrue();
    }

    @Test
    void valuesAndRowsPastMaxBytesFailNamingTheLimitBeforeTheyAreCopied() {
        {
            QueryRunner small = new QueryRunner(Ltxvfs.registry(), workers, Duration.ofSeconds(5), 1000, 64 * 1024);
            for (String sql : new String[] {"SELECT zeroblob(500000000)", "SELECT randomblob(900000000)",
                    "SELECT printf('%.40000c', 'x'), printf('%.40000c', 'y')"}) {
                Session s = small.open("session-test", null, true, null).join();
                try {
                    assertThatThrownBy(() -> s.run(x -> rows(x, sql, List.of(), Map.of())).join())
                            .as(sql).cause().isInstanceOfSatisfying(QueryException.class, e -> {
                                assertThat(e.kind()).isEqualTo(QueryException.Kind.TOO_BIG);
                                assertThat(e.getMessage()).contains("ltxvfs.query.max-bytes (64 KiB)");
                            });
                    // The session still answers.
                    assertThat(s.run(x -> rows(x, "SELECT 1", List.of(), Map.of()).size()).join()).isEqualTo(1);
                } finally {
                    s.close();
                }
            }
        }
    }

    @Test
    void temporaryFilesPastMaxTempBytesFailTheStatementAndAreGivenBackWhenTheyClose() {
        QueryRunner small = new QueryRunner(Ltxvfs.registry(), workers, Duration.ofSeconds(10), 100_000, 16 << 20, 4 << 20);
        // Rows of about 110 bytes, sorted: past SQLite's 2 MB of sort memory they spill to temp files.
        String sort = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < %d) "
                + "SELECT i, randomblob(100) AS r FROM n ORDER BY r";
        Session s = small.open("session-test", null, true, null).join();
        try {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> s.run(x -> rows(x, sort.formatted(200_000), List.of(), Map.of())).join())
                        .cause().isInstanceOfSatisfying(QueryException.class, e -> {
                            assertThat(e.kind()).isEqualTo(QueryException.Kind.TOO_BIG);
                            assertThat(e.getMessage()).contains("ltxvfs.query.max-temp-bytes (4 MiB)");
                        });
                // About 3 MB spilled: it fits only if the failed sort's files gave their bytes back.
                assertThat(s.run(x -> rows(x, sort.formatted(25_000), List.of(), Map.of()).size()).join()).isEqualTo(25_000);
            }
        } finally {
            s.close();
        }
    }

    @Test
    void theTimeoutInterruptsAndLaterStatementsOfTheCallFailAtOnce() {
        List<String> kinds = inSession(null, s -> {
            String first = kind(() -> rows(s, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n) SELECT count(*) FROM n",
                    List.of(), Map.of()));
            String second = kind(() -> rows(s, "SELECT 1", List.of(), Map.of()));
            return List.of(first, second);
        });
        assertThat(kinds).containsExactly("TIMEOUT", "TIMEOUT");
        // The connection went back to the pool and works.
        assertThat((int) inSession(null, s -> rows(s, "SELECT 1", List.of(), Map.of()).size())).isEqualTo(1);
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
