package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FFM layer alone: a plain SQLite file served page by page through the litestream VFS. */
class LitestreamVfsTest {
    @TempDir
    static Path dir;
    static Path plain;

    @BeforeAll
    static void setUp() throws Exception {
        plain = dir.resolve("plain.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + plain);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL)");
            s.execute("CREATE INDEX t_name ON t(name)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<20000) "
                    + "INSERT INTO t SELECT i, 'name-' || (i*7919 % 20000), i*0.5 FROM n");
        }
        LitestreamVfs.register();
        FileDatabase fileDb = new FileDatabase("plain", plain, 0x42);
        Ltxvfs.registry().serve("plain", plain.toString(), () -> fileDb, Polling.MANUAL);
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(rs.getString(i)).append('|');
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    @Test
    void answersEqualPlainSqlite() throws Exception {
        String[] queries = {
            "SELECT count(*), sum(v) FROM t",
            "SELECT * FROM t WHERE id = 12345",
            "SELECT id FROM t WHERE name BETWEEN 'name-100' AND 'name-200' ORDER BY name",
            "SELECT * FROM t ORDER BY v DESC LIMIT 5",
        };
        try (Connection viaVfs = DriverManager.getConnection("jdbc:sqlite:file:plain?vfs=litestream");
                Connection direct = DriverManager.getConnection("jdbc:sqlite:" + plain)) {
            for (String q : queries) {
                assertThat(rows(viaVfs, q)).as(q).isEqualTo(rows(direct, q)).isNotEmpty();
            }
        }
    }

    @Test
    void sortsThatSpillUseLocalTempFiles() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:plain?vfs=litestream");
                Connection direct = DriverManager.getConnection("jdbc:sqlite:" + plain)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA temp_store=FILE");
                s.execute("PRAGMA cache_size=10");
            }
            String q = "SELECT name, v FROM t ORDER BY name DESC, v";
            assertThat(rows(c, q)).hasSize(20000).isEqualTo(rows(direct, q));
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMP TABLE scratch AS SELECT id FROM t WHERE id % 3 = 0");
            }
            assertThat(rows(c, "SELECT count(*) FROM scratch")).containsExactly("6666|");
        }
    }

    @Test
    void writesAreRefusedAsReadOnly() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:plain?vfs=litestream");
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM t"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("readonly");
            assertThat(rows(c, "SELECT count(*) FROM t")).containsExactly("20000|");
        }
    }

    @Test
    void pragmasReportTheView() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:plain?vfs=litestream")) {
            assertThat(rows(c, "PRAGMA litestream_txid")).containsExactly("0000000000000042|");
            assertThat(rows(c, "PRAGMA litestream_time")).containsExactly("1970-01-01T00:00:00Z|");
            // Setting the TXID pins exactly that state, when the database has it.
            assertThat(rows(c, "PRAGMA litestream_txid = '0000000000000042'")).containsExactly("0000000000000042|");
            assertThatThrownBy(() -> rows(c, "PRAGMA litestream_txid = 5")).hasMessageContaining("TXID 5");
            assertThatThrownBy(() -> rows(c, "PRAGMA litestream_txid = 'zz'")).hasMessageContaining("16 hex digits");
            assertThatThrownBy(() -> rows(c, "PRAGMA litestream_time = 'whenever'")).hasMessageContaining("whenever");
            // SQLite's own pragmas still work
            assertThat(rows(c, "PRAGMA page_size")).containsExactly("1024|");
        }
    }

    @Test
    void unknownNameFailsToOpenWithAClearError() {
        assertThatThrownBy(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:nosuch?vfs=litestream")) {
                rows(c, "SELECT 1 FROM sqlite_master");
            }
        }).isInstanceOf(SQLException.class);
        assertThat(LitestreamVfs.takeLastFailure()).hasValueSatisfying(t -> assertThat(t).hasMessageContaining("nosuch"));
    }

    @Test
    void sqliteKeepsItsPageCacheUntilTheTxidChanges() throws Exception {
        // The same database with one row changed in place: same size, same freelist.
        Path changed = dir.resolve("changed.db");
        Files.copy(plain, changed);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + changed);
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE t SET v = -1 WHERE id = 1");
        }
        FileDatabase db = new FileDatabase("cached", plain, 7);
        Ltxvfs.registry().serve("cached", plain.toString(), () -> db, Polling.MANUAL);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:cached?vfs=litestream")) {
            assertThat(rows(c, "SELECT v FROM t WHERE id = 1")).containsExactly("0.5|");
            // Same TXID: the served change counter is unchanged, so SQLite answers from its own cache.
            db.replace(changed, 7);
            assertThat(rows(c, "SELECT v FROM t WHERE id = 1")).containsExactly("0.5|");
            // A new TXID changes the counter: SQLite drops its cache and reads the new state.
            db.replace(changed, 8);
            assertThat(rows(c, "SELECT v FROM t WHERE id = 1")).containsExactly("-1.0|");
            assertThat(rows(c, "PRAGMA litestream_txid")).containsExactly("0000000000000008|");
        }
    }
}
