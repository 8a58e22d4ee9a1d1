package dev.ltxvfs.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.testing.ReferenceVfs;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replica written by our encoder, compactor and snapshot writer, in the {@code file://} layout
 * ({@code ltx/<level>/<min>-<max>.ltx}: level 0, compacted levels 1 and 2, a level-9 snapshot, old
 * level-0 files removed by retention), is read by the real Litestream VFS, and its answers equal
 * plain SQLite's on the database the replica was written from.
 */
class ReferenceReadsOurReplicaTest {
    @TempDir
    Path dir;

    /** 1..100 as {@code n(value)}: sqlite-jdbc's SQLite has no generate_series. */
    static final String SERIES = "WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 100) ";

    static final List<String> QUERIES = List.of(
            "SELECT count(*), sum(qty), max(id), sum(length(body)) FROM orders;",
            "SELECT id, customer, qty, hex(body) FROM orders WHERE id IN (3, 777, 1500, 2999) ORDER BY id;",
            "SELECT customer, count(*), sum(qty) FROM orders WHERE customer BETWEEN 'c-10' AND 'c-19' GROUP BY customer ORDER BY customer;",
            "SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer WHERE o.id % 250 = 0 ORDER BY o.id;",
            "PRAGMA integrity_check;");

    @ParameterizedTest
    @ValueSource(ints = {4096, 1024, 65536})
    void referenceAnswersEqualPlainSqlite(int pageSize) throws Exception {
        Path db = dir.resolve("primary.db");
        ReplicaWriter w = new ReplicaWriter(dir.resolve("replica"));
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + pageSize);
            s.execute("CREATE TABLE customers(id TEXT PRIMARY KEY, name TEXT)");
            s.execute("CREATE TABLE orders(id INTEGER PRIMARY KEY, customer TEXT, qty INTEGER, body BLOB)");
            s.execute("CREATE INDEX orders_customer ON orders(customer)");
            for (int tx = 0; tx < 30; tx++) {
                int base = tx * 100;
                s.execute(SERIES + "INSERT INTO orders SELECT " + base + " + value, 'c-' || ((" + base + " + value) % 37),"
                        + " value % 11, zeroblob(value % 200) FROM n");
                if (tx == 5) {
                    s.execute(SERIES + "INSERT INTO customers SELECT 'c-' || (value - 1), 'name ' || value FROM n WHERE value <= 37");
                }
                if (tx % 6 == 4) {
                    s.execute("UPDATE orders SET qty = qty + 100 WHERE id % 9 = " + (tx % 9));
                    s.execute("DELETE FROM orders WHERE id % 23 = " + (tx % 23));
                }
                Instant at = t0.plusSeconds(60L * tx);
                w.commit(db, at);
                if (tx == 12) {
                    w.snapshot(db, at);
                }
                if (tx % 5 == 4) {
                    w.compact(1);
                }
                if (tx == 19) {
                    w.compact(2);
                    w.deleteCompacted(0, at.plusSeconds(1)); // retention: level 0 keeps only its newest
                }
            }
        }
        assertThat(w.list(9)).hasSize(1);
        assertThat(w.list(2)).isNotEmpty();
        assertThat(w.list(1)).hasSizeGreaterThan(2);
        assertThat(w.list(0).getFirst().getFileName().toString()).as("level 0 was pruned")
                .doesNotStartWith("0000000000000001-");

        ReferenceVfs ref = ReferenceVfs.get();
        String url = "file://" + w.dir().toAbsolutePath();
        try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (String q : QUERIES) {
                assertThat(ref.query(url, q)).as(q).isNotEmpty().isEqualTo(rows(plain, q));
            }
        }
        assertThat(ref.query(url, "PRAGMA litestream_txid;")).containsExactly(String.format("%016x", w.txid()));
        assertThat(ref.query(url, "PRAGMA page_size;")).containsExactly(Integer.toString(pageSize));
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        return dev.ltxvfs.testing.SqlRows.rows(c, sql);
    }
}
