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
 * <p>Connection properties ({@link DriverOptions.Property}): {@code litestream_time} (a point in
 * time, as {@code PRAGMA litestream_time} takes it), the polling, cache, hydration and timeouts the
 * service sets with {@code ltxvfs.*}, and the S3 request settings. Connections are sqlite-jdbc's,
 * read-only, on the {@code litestream} VFS, behind {@link ExplainedErrors}.
 */
public final class LitestreamDriver implements Driver {
    public static final String PREFIX = "jdbc:litestream:";

    /** Replica URL (with its options) to the database name it is served under in this JVM. */
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
            name = serve(replica, DriverOptions.parse(p));
        } catch (IllegalArgumentException e) {
            throw new SQLException("cannot open " + url + ": " + e.getMessage(), "08001", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        Connection c = ExplainedErrors.connect(() -> config.createConnection("jdbc:sqlite:file:" + name + "?vfs=" + LitestreamVfs.NAME));
        String time = DriverOptions.Property.TIME.in(p);
        if (time != null) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA litestream_time = '" + time.replace("'", "''") + "'");
            } catch (SQLException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    /**
     * Serves the replica once per JVM and set of options, under a name derived from both, polled in
     * the background while it is used: after the registry's idle-close (10 minutes) without a read,
     * its polls stop and its pages leave the cache, and the next read opens it again. A desktop tool
     * keeps the driver loaded long after its user stopped querying.
     */
    private static String serve(String replica, DriverOptions o) {
        ReplicaUrl location = ReplicaUrl.parse(replica);
        return OPENED.computeIfAbsent(replica + "\n" + o.servingKey(), key -> {
            if (o.cacheBytes() != null) {
                sizeCache(o.cacheBytes());
            }
            DatabaseRegistry r = Ltxvfs.registry();
            String name = "jdbc-" + hash(key);
            r.serveUntilIdle(name, location.toString(), () -> new ReplicaDatabase(name, ReplicaStores.open(location, o.s3()), r.cache(),
                    o.readTimeout(), o.openTimeout(), o.hydrate()), Polling.background(o.poll()));
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
        return DriverOptions.info(info);
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
