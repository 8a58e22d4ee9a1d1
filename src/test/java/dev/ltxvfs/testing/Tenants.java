package dev.ltxvfs.testing;

import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Test fixture: many tiny replicas, one per tenant, each folder named {@code t-NNN} directly under
 * one directory (a local catalog) and, uploaded, under one S3 prefix. Tenant {@code i} holds
 * {@code i} in {@code t(id)} and its name in {@code t(name)}, so every answer says whose it is.
 */
public final class Tenants {
    public final Path dir;
    public final int count;

    private Tenants(Path dir, int count) {
        this.dir = dir;
        this.count = count;
    }

    public static String name(int i) {
        return String.format("t-%03d", i);
    }

    /** The answer of {@code SELECT id, name FROM t} for tenant {@code i}, as SqlRows prints it. */
    public static String answer(int i) {
        return i + "|" + name(i);
    }

    public static Tenants write(Path root, int count) throws Exception {
        Path catalog = Files.createDirectories(root.resolve("catalog"));
        Path work = Files.createDirectories(root.resolve("primaries"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            done.add(pool.submit(() -> {
                Path db = work.resolve(name(n) + ".db");
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE t(id INTEGER, name TEXT)");
                    s.execute("INSERT INTO t VALUES (" + n + ", '" + name(n) + "')");
                }
                new ReplicaWriter(catalog.resolve(name(n))).commit(db, Instant.parse("2026-06-01T00:00:00Z"));
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return new Tenants(catalog, count);
    }

    /** Uploads every tenant under {@code prefix} in {@code bucket}. */
    public void upload(S3Client s3, String bucket, String prefix) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = name(i);
            done.add(pool.submit(() -> ReplicaUpload.upload(dir.resolve(n), s3, bucket, prefix + "/" + n)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }
}
