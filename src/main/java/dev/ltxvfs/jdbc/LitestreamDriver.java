package dev.ltxvfs.jdbc;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.vfs.DatabaseRegistry;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.Polling;
import dev.ltxvfs.vfs.ReplicaDatabase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A JDBC driver that opens a Litestream replica from its URL alone, for tools that only take a URL
 * and a driver jar (DBeaver, DataGrip, Metabase, plain {@code DriverManager}):
 * {@code jdbc:litestream:s3://bucket/orders?endpoint=...&region=...} or
 * {@code jdbc:litestream:file:///backups/orders}. Found by {@link java.util.ServiceLoader}.
 *
 * <p>Connection properties: {@code litestream_time} (a point in time, as {@code PRAGMA
 * litestream_time} takes it), {@code litestream_poll_interval} (how often the replica is polled,
 * {@code 1s}) and {@code litestream_cache_size} (the page cache shared by every replica in the JVM,
 * {@code 256M}; only the first connection of the JVM sizes it). Connections are sqlite-jdbc's own,
 * read-only, on the {@code litestream} VFS.
 */
public final class LitestreamDriver implements Driver {
    public static final String PREFIX = "jdbc:litestream:";
    static final String TIME = "litestream_time";
    static final String POLL_INTERVAL = "litestream_poll_interval";
    static final String CACHE_SIZE = "litestream_cache_size";

    /** Replica URL (with its poll interval) to the database name it is served under in this JVM. */
    private static final Map<String, String> OPENED = new ConcurrentHashMap<>();

    static {
        try {
            DriverManager.registerDriver(new LitestreamDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null; // DriverManager asks every driver: not ours
        }
        Properties p = info == null ? new Properties() : info;
        String replica = url.substring(PREFIX.length());
        String name;
        try {
            name = serve(replica, duration(p.getProperty(POLL_INTERVAL, "1s")), p.getProperty(CACHE_SIZE));
        } catch (IllegalArgumentException e) {
            throw new SQLException("cannot open " + url + ": " + e.getMessage(), "08001", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        Connection c = config.createConnection("jdbc:sqlite:file:" + name + "?vfs=" + LitestreamVfs.NAME);
        String time = p.getProperty(TIME);
        if (time != null && !time.isBlank()) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA litestream_time = '" + time.replace("'", "''") + "'");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /** Serves the replica once per JVM, under a name derived from its URL, polled in the background. */
    private static String serve(String replica, Duration poll, String cacheSize) {
        String location = ReplicaUrl.parse(replica).toString();
        return OPENED.computeIfAbsent(replica + "\n" + poll, key -> {
            if (cacheSize != null && !cacheSize.isBlank()) {
                sizeCache(bytes(cacheSize));
            }
            DatabaseRegistry r = Ltxvfs.registry();
            String name = "jdbc-" + hash(key);
            r.serve(name, location, () -> new ReplicaDatabase(name, ReplicaStores.open(replica), r.cache(),
                    Ltxvfs.DEFAULT_READ_DEADLINE, Ltxvfs.DEFAULT_OPEN_DEADLINE), Polling.background(poll));
            LitestreamVfs.register();
            return name;
        });
    }

    /** The first replica of the JVM may size the shared page cache; later values cannot change it. */
    private static synchronized void sizeCache(long bytes) {
        if (OPENED.isEmpty()) {
            Ltxvfs.use(new DatabaseRegistry(new PageCache(bytes)));
        }
    }

    private static Duration duration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            return Duration.parse(text.trim());
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(POLL_INTERVAL + " '" + text + "' is not a duration like 500ms, 1s or 2m");
        }
    }

    /** {@code 256M}, {@code 1G}, {@code 65536}: bytes with an optional K, M or G. */
    private static long bytes(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        int shift = t.endsWith("K") ? 10 : t.endsWith("M") ? 20 : t.endsWith("G") ? 30 : 0;
        try {
            return Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1).trim()) << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(CACHE_SIZE + " '" + text + "' is not a size like 64M or 1G");
        }
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        DriverPropertyInfo time = new DriverPropertyInfo(TIME, info == null ? null : info.getProperty(TIME));
        time.description = "read the database as it was then: RFC 3339 (2026-05-01T12:00:00Z) or '5 minutes ago'";
        DriverPropertyInfo poll = new DriverPropertyInfo(POLL_INTERVAL, info == null ? "1s" : info.getProperty(POLL_INTERVAL, "1s"));
        poll.description = "how often the replica is polled for new transactions (500ms, 1s, 2m)";
        DriverPropertyInfo cache = new DriverPropertyInfo(CACHE_SIZE, info == null ? null : info.getProperty(CACHE_SIZE));
        cache.description = "bytes of pages cached for every replica in this JVM (256M); the first connection sets it";
        return new DriverPropertyInfo[] {time, poll, cache};
    }

    @Override
    public int getMajorVersion() {
        return 0;
    }

    @Override
    public int getMinorVersion() {
        return 1;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("the litestream driver logs through System.Logger");
    }
}
