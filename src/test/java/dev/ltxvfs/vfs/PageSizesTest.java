package dev.ltxvfs.vfs;

import static dev.ltxvfs.vfs.Served.exec;
import static dev.ltxvfs.vfs.Served.rows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every SQLite page size reads right through the VFS, from a replica with a snapshot and levels 0-1. */
class PageSizesTest {
    @TempDir
    Path dir;

    static final List<String> QUERIES = List.of(
            "SELECT count(*), sum(v), sum(length(body)) FROM t",
            "SELECT id, v, body FROM t WHERE id IN (1, 150, 299) ORDER BY id",
            "SELECT id FROM t WHERE k BETWEEN 'k-10' AND 'k-20' ORDER BY k, id",
            "SELECT * FROM t",
            "PRAGMA page_size",
            "PRAGMA integrity_check");

    @ParameterizedTest
    @ValueSource(ints = {512, 1024, 2048, 4096, 8192, 16384, 32768, 65536})
    void answersEqualPlainSqlite(int pageSize) throws Exception {
        Path db = dir.resolve("p.db");
        ReplicaWriter w = new ReplicaWriter(dir.resolve("replica"));
        Instant t0 = Instant.parse("2026-04-01T00:00:00Z");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            exec(c, "PRAGMA page_size=" + pageSize);
            exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, k TEXT, v INTEGER, body TEXT)");
            exec(c, "CREATE INDEX t_k ON t(k)");
            for (int tx = 0; tx < 6; tx++) {
                exec(c, "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 50) "
                        + "INSERT INTO t SELECT " + (tx * 50) + " + i, 'k-' || (i % 37), i * " + tx + ", printf('%.*c', i * 9, 'b') FROM g");
                w.commit(db, t0.plusSeconds(tx));
                if (tx == 2) {
                    w.snapshot(db, t0.plusSeconds(tx));
                    w.compact(1);
                }
            }
        }
        String name = "pagesize-" + pageSize;
        ReplicaDatabase served = Served.serve(name, "file://" + w.dir());
        try (Connection replica = Served.open(name);
                Connection plain = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            for (String q : QUERIES) {
                assertThat(rows(replica, q)).as(q).isNotEmpty().isEqualTo(rows(plain, q));
            }
            assertThat(rows(replica, "PRAGMA page_size")).containsExactly(Integer.toString(pageSize));
            assertThat(served.current().pageSize()).isEqualTo(pageSize);
        } finally {
            Served.unserve(name, served);
        }
    }
}
