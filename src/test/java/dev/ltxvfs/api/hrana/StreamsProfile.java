package dev.ltxvfs.api.hrana;

import dev.ltxvfs.writer.ReplicaWriter;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

/**
 * libSQL streams with small limits (3 streams, 2 s idle), a fixed baton key, and database {@code live}:
 * a replica the tests commit to while a stream reads it, polled every 100 ms.
 */
public class StreamsProfile implements QuarkusTestProfile {
    static final String SECRET = "streams-test-secret";
    static final int MAX_STREAMS = 3;
    static final long IDLE_MS = 2000;
    static final Path DIR;
    static final ReplicaWriter WRITER;

    static {
        try {
            DIR = Files.createTempDirectory("ltxvfs-streams");
            WRITER = new ReplicaWriter(DIR.resolve("replica"));
            commit(100);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds {@code rows} rows to table {@code t} of the primary and ships the commit to the replica. */
    static synchronized void commit(int rows) throws Exception {
        Path db = DIR.resolve("primary.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + rows + ") "
                    + "INSERT INTO t(v) SELECT 'v' || i FROM n");
        }
        WRITER.commit(db, Instant.now());
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ltxvfs.libsql.max-streams", Integer.toString(MAX_STREAMS),
                "ltxvfs.libsql.stream-idle-timeout", IDLE_MS + "ms",
                "ltxvfs.libsql.baton-secret", SECRET,
                "ltxvfs.databases.live.replica-url", "file://" + DIR.resolve("replica"),
                "ltxvfs.databases.live.poll-interval", "100ms");
    }
}
