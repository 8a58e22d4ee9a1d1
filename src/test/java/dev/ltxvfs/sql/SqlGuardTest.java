package dev.ltxvfs.sql;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1",
        "  select * from t where name = 'DELETE FROM t' -- DROP TABLE t",
        "/* INSERT */ SELECT replace(name, 'a', 'b') FROM t",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5) SELECT i FROM n;",
        "VALUES (1), (2)",
        "EXPLAIN QUERY PLAN SELECT * FROM t",
        "PRAGMA table_info(t)",
        "PRAGMA main.index_list('t')",
        "PRAGMA litestream_txid",
        "PRAGMA user_version",
        "SELECT \"update\" FROM t",
    })
    void readsPass(String sql) {
        assertThatCode(() -> SqlGuard.requireRead(sql)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO t VALUES (1)",
        "update t set a = 1",
        "DELETE FROM t",
        "REPLACE INTO t VALUES (1)",
        "CREATE TABLE x(a)",
        "CREATE TEMP TABLE x AS SELECT 1",
        "DROP TABLE t",
        "ALTER TABLE t ADD COLUMN b",
        "ATTACH DATABASE '/etc/passwd' AS p",
        "DETACH p",
        "VACUUM INTO '/tmp/copy.db'",
        "VACUUM",
        "REINDEX",
        "ANALYZE",
        "BEGIN",
        "WITH x AS (SELECT 1) DELETE FROM t",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
        "EXPLAIN DELETE FROM t",
        "SELECT load_extension('/tmp/evil.so')",
        "PRAGMA user_version = 5",
        "PRAGMA journal_mode(WAL)",
        "PRAGMA writable_schema = ON",
        "PRAGMA litestream_time = '5 minutes ago'",
    })
    void writesAndEscapesAreRefusedAsReadOnly(String sql) {
        assertThatThrownBy(() -> SqlGuard.requireRead(sql))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("read-only")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((QueryException) e).kind())
                        .isEqualTo(QueryException.Kind.READ_ONLY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "-- only a comment", "SELECT 1; DROP TABLE t", "SELECT 1; SELECT 2"})
    void emptyOrSeveralStatementsAreBadRequests(String sql) {
        assertThatThrownBy(() -> SqlGuard.requireRead(sql))
                .isInstanceOf(QueryException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((QueryException) e).kind())
                        .isEqualTo(QueryException.Kind.BAD_REQUEST));
    }
}
