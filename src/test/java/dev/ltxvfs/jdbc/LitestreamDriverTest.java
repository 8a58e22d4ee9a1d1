package dev.ltxvfs.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.testing.ScriptedHttpServer;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sqlite.SQLiteException;

/**
 * The driver as a tool uses it: {@code DriverManager} with a URL and properties. The properties
 * that the service sets with {@code ltxvfs.*} reach the served database, and a wrong one is
 * refused with its name.
 */
class LitestreamDriverTest {
    @TempDir
    static Path dir;
    static String url;

    @BeforeAll
    static void writeReplica() throws Exception {
        Path db = dir.resolve("primary.db");
        ReplicaWriter w = new ReplicaWriter(dir.resolve("replica"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, body BLOB)");
            s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<500) "
                    + "INSERT INTO items SELECT i, randomblob(300) FROM n");
            w.commit(db, Instant.parse("2026-03-01T00:00:00Z"));
        }
        url = LitestreamDriver.PREFIX + ReplicaUrl.file(dir.resolve("replica"));
        // Credentials as a tool's JVM would have them (the scripted server below does not check them).
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
    }

    static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void hydrationIsChosenPerConnectionProperties() throws Exception {
        try (Connection on = DriverManager.getConnection(url, props("litestream_hydrate", "on"));
             Connection off = DriverManager.getConnection(url, props("litestream_hydrate", "OFF"))) {
            assertThat(one(on, "SELECT count(*) FROM items")).isEqualTo("500");
            assertThat(one(off, "SELECT count(*) FROM items")).isEqualTo("500");
            // Hydration runs in the background: wait for it, as a tool would see it progress.
            long until = System.nanoTime() + 30_000_000_000L;
            while (!one(on, "PRAGMA litestream_hydration_progress").equals("100.0") && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(one(on, "PRAGMA litestream_hydration_progress")).isEqualTo("100.0");
            assertThat(one(off, "PRAGMA litestream_hydration_progress")).isEqualTo("0");
        }
    }

    @Test
    void aStorageFailureIsExplainedAndTheS3SettingsReachTheStore() throws Exception {
        // A server that answers every request with 503 SlowDown, which is retried: the error shows how many tries it had.
        try (ScriptedHttpServer slow = new ScriptedHttpServer(ScriptedHttpServer.error(503, "SlowDown"))) {
            String busy = LitestreamDriver.PREFIX + "s3://bucket/orders?endpoint=" + slow.endpoint() + "&region=us-east-1";
            // Polled hourly: the driver serves a replica for the JVM's life, and this one's server is gone after the test.
            Properties p = props("litestream_s3_max_attempts", "2", "litestream_s3_request_timeout", "20s",
                    "litestream_open_timeout", "20s", "litestream_poll_interval", "1h");
            assertThatThrownBy(() -> DriverManager.getConnection(busy, p).close())
                    .isInstanceOf(SQLiteException.class)
                    .hasMessageContaining("SQLITE_IOERR")
                    .hasMessageContaining("LIST s3://bucket/orders/")
                    .hasMessageContaining("failed after 2 attempts")
                    .satisfies(e -> assertThat(((SQLiteException) e).getResultCode().code & 0xff).isEqualTo(10));
        }
        // An error of the SQL itself has no storage failure behind it, and says only what SQLite said.
        try (Connection c = DriverManager.getConnection(url)) {
            assertThatThrownBy(() -> one(c, "SELECT missing_column FROM items"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no such column")
                    .hasMessageNotContaining("attempts");
        }
    }

    @Test
    void statementsAndResultSetsComeFromTheirOwnConnection() throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT id FROM items WHERE id > ? ORDER BY id LIMIT 2")) {
            ps.setInt(1, 10);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(11);
                assertThat(rs.getStatement()).isNotNull();
            }
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
            assertThat(c).isEqualTo(c).hasSameHashCodeAs(c); // pools keep connections in sets and maps
            assertThat(new java.util.HashSet<>(java.util.List.of(c, c.unwrap(Connection.class)))).hasSize(1);
            assertThat(c.isWrapperFor(org.sqlite.SQLiteConnection.class)).isTrue();
            assertThat(c.getMetaData().getTables(null, null, "items", null).next()).isTrue();
            assertThatThrownBy(() -> c.createStatement().execute("DELETE FROM items"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("readonly");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            litestream_hydrate            | sometimes | must be auto, on or off
            litestream_poll_interval      | soon      | not a positive duration
            litestream_poll_interval      | 0s        | not a positive duration
            litestream_read_timeout       | -1s       | not a positive duration
            litestream_open_timeout       | forever   | not a positive duration
            litestream_s3_max_attempts    | 0         | not a whole number of at least 1
            litestream_s3_attempt_timeout | 5 minutes | not a positive duration
            litestream_s3_request_timeout | 0ms       | not a positive duration
            litestream_s3_max_connections | many      | not a whole number of at least 1
            litestream_cache_size         | 12X       | not a size like 64M or 1G
            litestream_cache_size         | 99999999G | more than this JVM's heap
            """)
    void aWrongPropertyIsRefusedWithItsName(String key, String value, String why) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, props(key, value)).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(key + " '" + value + "'")
                .hasMessageContaining(why)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }

    @Test
    void toolsAreShownEveryPropertyWithItsDefault() throws Exception {
        DriverPropertyInfo[] info = DriverManager.getDriver(url).getPropertyInfo(url, props("litestream_hydrate", "off"));
        Map<String, String> values = Arrays.stream(info).collect(Collectors.toMap(i -> i.name, i -> String.valueOf(i.value)));
        assertThat(values).containsEntry("litestream_hydrate", "off")
                .containsEntry("litestream_poll_interval", "1s")
                .containsEntry("litestream_read_timeout", "30s")
                .containsEntry("litestream_open_timeout", "60s")
                .containsEntry("litestream_s3_max_attempts", "3")
                .containsEntry("litestream_s3_attempt_timeout", "5s")
                .containsEntry("litestream_s3_request_timeout", "10s")
                .containsEntry("litestream_s3_max_connections", "64")
                .containsKeys("litestream_time", "litestream_cache_size");
        assertThat(info).allSatisfy(i -> assertThat(i.description).isNotBlank());
    }
}
