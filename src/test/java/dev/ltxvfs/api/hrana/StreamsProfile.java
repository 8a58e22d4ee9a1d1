package dev.ltxvfs.api.hrana;

import dev.ltxvfs.writer.ReplicaWriter;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.sqlite.JDBC;

/**
 * libSQL streams with small limits (3 streams, 2 s idle), a fixed baton key, and database {@code live}:
 * a replica the tests commit to while a stream reads it, polled every 100 ms.
 */
public class StreamsProfile implements QuarkusTestProfile {
    static final String SECRET = "streams-test-secret";
    static final int MAX_STREAMS = 3;
    static final long IDLE_MS = 2000;
    private static Path dir;
    private static ReplicaWriter writer;

    /**
     * The replica directory, written with its first commit on first use (not at class loading).
     * Quarkus loads this class twice (for the profile's config and again for the test), so the
     * directory is shared through a system property, not a static field: commits must land in
     * the replica the service reads.
     */
    static synchronized Path dir() {
        if (dir == null) {
            try {
                String shared = System.getProperty(DIR_PROPERTY);
                dir = shared != null ? Path.of(shared) : Files.createTempDirectory("ltxvfs-streams");
                // A second writer on the same replica ships every page with its first commit: still the right state.
                writer = new ReplicaWriter(dir.resolve("replica"));
                if (shared == null) {
                    System.setProperty(DIR_PROPERTY, dir.toString());
                    Path created = dir;
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created)));
                    commit(100);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return dir;
    }

    private static final String DIR_PROPERTY = "ltxvfstest.streams-dir";

    /** The test JVM's temp directory keeps nothing of ours. */
    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // best effort at exit
        }
    }

    /** Adds {@code rows} rows to table {@code t} of the primary and ships the commit to the replica. */
    static synchronized void commit(int rows) throws Exception {
        Path db = dir().resolve("primary.db");
        // Not DriverManager: once a Quarkus app has loaded sqlite-jdbc, it no longer serves this class loader.
        try (Connection c = JDBC.createConnection("jdbc:sqlite:" + db, new Properties()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<" + rows + ") "
                    + "INSERT INTO t(v) SELECT 'v' || i FROM n");
        }
        writer.commit(db, Instant.now());
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ltxvfs.libsql.max-streams", Integer.toString(MAX_STREAMS),
                "ltxvfs.libsql.stream-idle-timeout", IDLE_MS + "ms",
                "ltxvfs.libsql.baton-secret", SECRET,
                "ltxvfs.databases.live.replica-url", "file://" + dir().resolve("replica"),
                "ltxvfs.databases.live.poll-interval", "100ms");
    }
}
