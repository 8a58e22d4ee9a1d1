package dev.ltxvfs.bench;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.vfs.LitestreamVfs;
import dev.ltxvfs.vfs.Ltxvfs;
import dev.ltxvfs.vfs.Polling;
import dev.ltxvfs.vfs.ReplicaDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** What the live benchmarks share. */
final class BenchSupport {
    private BenchSupport() {}

    /**
     * Log levels as the service has them (INFO), first thing in every benchmark's main. Without
     * Quarkus, the JBoss LogManager starts with every level on and buffers each record: the S3
     * client's trace records of every request took a tenth of a cold child's CPU while it
     * hydrated (JFR, bench-read-path.sh), and buffered records weigh on the heap measured.
     */
    static void logAtInfo() {
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
    }

    /** Serves {@code store} through the litestream VFS as {@code name}, index built. */
    static ReplicaDatabase serve(String name, ReplicaStore store) throws Exception {
        LitestreamVfs.register();
        ReplicaDatabase db = Ltxvfs.registry().serve(name, name, () -> new ReplicaDatabase(name, store, new PageCache(64 << 20),
                Duration.ofSeconds(30), Duration.ofSeconds(120)), Polling.MANUAL);
        db.start().get(120, TimeUnit.SECONDS);
        return db;
    }

    static String one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
            }
            return b.toString();
        }
    }

    static void exec(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** {@link ReplicaUpload#upload} with 16 uploads at a time (thousands of files). */
    static int upload(Path replicaDir, S3Client s3, String bucket, String path) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(replicaDir.resolve("ltx"))) {
            all.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}-[0-9a-f]{16}\\.ltx")).forEach(files::add);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> done = new ArrayList<>();
        for (Path f : files) {
            int level = Integer.parseInt(f.getParent().getFileName().toString());
            String key = path + "/" + String.format("%04x/", level) + f.getFileName();
            done.add(pool.submit(() -> {
                String ts = ReplicaUpload.rfc3339Nano(ReplicaUpload.headerTimestamp(f));
                s3.putObject(b -> b.bucket(bucket).key(key).metadata(Map.of("litestream-timestamp", ts)),
                        RequestBody.fromFile(f));
                return null;
            }));
        }
        for (Future<?> d : done) {
            d.get();
        }
        pool.shutdown();
        return files.size();
    }

    static Path tempDir(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }
}
