package dev.ltxvfs.artifact;

import dev.ltxvfs.writer.ReplicaWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * The replica the artifact tests serve, written with our own replica writer: one commit a minute
 * from {@link #T0}, each adding {@link #ROWS_PER_COMMIT} rows to {@code items}, so after commit
 * {@code k} (0-based) {@code count(*)} is {@code (k + 1) * ROWS_PER_COMMIT}. Table {@code cold}
 * (about 400 KiB) is read only by the outage test, so its pages are never in the cache before it.
 */
final class TestReplica {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final int COMMITS = 6;
    static final int ROWS_PER_COMMIT = 100;
    static final int COLD_ROWS = 400;
    static final int COLD_BYTES = 1000;

    private TestReplica() {}

    static Instant commitTime(int k) {
        return T0.plusSeconds(60L * k);
    }

    static int rowsAfter(int k) {
        return (k + 1) * ROWS_PER_COMMIT;
    }

    /** Writes the primary database {@code dir/primary.db} and its replica {@code dir/replica}; returns the replica. */
    static Path write(Path dir) throws IOException, SQLException {
        Path db = dir.resolve("primary.db");
        ReplicaWriter w = new ReplicaWriter(dir.resolve("replica"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, v INTEGER)");
            s.execute("CREATE TABLE cold(id INTEGER PRIMARY KEY, body BLOB)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + COLD_ROWS + ") "
                    + "INSERT INTO cold SELECT i, zeroblob(" + COLD_BYTES + ") FROM n");
            for (int k = 0; k < COMMITS; k++) {
                int base = k * ROWS_PER_COMMIT;
                s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + ROWS_PER_COMMIT + ") "
                        + "INSERT INTO items SELECT " + base + "+i, 'item-' || (" + base + "+i), " + k + " FROM n");
                w.commit(db, commitTime(k));
            }
        }
        return w.dir();
    }
}
