package dev.ltxvfs.vfs;

import dev.ltxvfs.writer.ReplicaWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A primary SQLite file replicated by our {@link ReplicaWriter}, one level-0 file per commit, on
 * a fake clock (one second per commit from {@link #T0}), remembering the answer to
 * {@link #SUMMARY} after every TXID, so readers can check what they saw at the TXID they saw.
 */
final class Primary implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");
    static final String SUMMARY = "SELECT count(*), sum(v), max(id), sum(length(body)) FROM items";

    final Path db;
    final ReplicaWriter writer;
    final Map<Long, List<String>> answers = new ConcurrentHashMap<>();
    final Map<Long, Instant> times = new ConcurrentHashMap<>();
    private final Connection conn;
    private final Random rnd = new Random(1);
    private int nextId = 1;

    Primary(Path dir) throws IOException, SQLException {
        this.db = dir.resolve("primary.db");
        this.writer = new ReplicaWriter(dir.resolve("replica"));
        this.conn = DriverManager.getConnection("jdbc:sqlite:" + db);
        try (Statement s = conn.createStatement()) {
            s.execute("PRAGMA page_size=1024");
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, v INTEGER, body BLOB)");
        }
    }

    Path replicaDir() {
        return writer.dir();
    }

    static Instant timeOf(long txid) {
        return T0.plusSeconds(txid);
    }

    /** The clock of the next commit. */
    Instant now() {
        return timeOf(writer.txid());
    }

    /** Runs {@code sql} on the primary and ships it as the next TXID. */
    long commit(String sql) throws IOException, SQLException {
        try (Statement s = conn.createStatement()) {
            s.executeUpdate(sql);
        }
        long txid = writer.txid() + 1;
        // Recorded before the file appears: a reader may see the TXID as soon as it is written.
        answers.put(txid, LitestreamVfsTest.rows(conn, SUMMARY));
        times.put(txid, timeOf(txid));
        if (writer.commit(db, timeOf(txid)) == null) {
            throw new IllegalStateException("nothing changed: " + sql);
        }
        return txid;
    }

    /** A random change: inserts, updates and deletes over a table of a few hundred rows. */
    long randomCommit() throws IOException, SQLException {
        int op = rnd.nextInt(10);
        if (op < 5 || nextId < 50) {
            int n = 1 + rnd.nextInt(8);
            int from = nextId;
            nextId += n;
            return commit("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i<" + (n - 1) + ") "
                    + "INSERT INTO items SELECT " + from + "+i, abs(random() % 1000), randomblob(" + (20 + rnd.nextInt(200))
                    + ") FROM n");
        }
        if (op < 8) {
            return commit("UPDATE items SET v = v + 1, body = randomblob(" + (10 + rnd.nextInt(300)) + ") WHERE id % 13 = "
                    + rnd.nextInt(13) + " OR id = (SELECT max(id) FROM items)");
        }
        return commit("DELETE FROM items WHERE id % 17 = " + rnd.nextInt(17) + " OR id = (SELECT min(id) FROM items)");
    }

    /** Answers of plain SQLite on the primary now. */
    List<String> query(String sql) throws SQLException {
        return LitestreamVfsTest.rows(conn, sql);
    }

    void execute(String sql) throws SQLException {
        try (Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    /** Ships the primary's current state (after {@link #execute}) as the next TXID. */
    long ship() throws IOException, SQLException {
        long txid = writer.txid() + 1;
        answers.put(txid, LitestreamVfsTest.rows(conn, SUMMARY));
        times.put(txid, timeOf(txid));
        writer.commit(db, timeOf(txid));
        return txid;
    }

    static Duration seconds(long n) {
        return Duration.ofSeconds(n);
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
