package dev.ltxvfs.bench;

import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.writer.ReplicaWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The load benchmark's database (src/test/scripts/bench-load.sh): {@code kv(id INTEGER PRIMARY KEY,
 * payload TEXT)} filled to about 64 MiB, shipped as one LTX snapshot into {@code <dir>/replica},
 * optionally uploaded to an S3 endpoint. Prints the row count.
 *
 * <p>Usage: {@code BenchDatabase <dir> [<s3-endpoint> <bucket> <path>]}
 */
public final class BenchDatabase {
    static final long TARGET_BYTES = 64L << 20;
    static final int PAYLOAD = 200;

    public static void main(String[] args) throws Exception {
        BenchSupport.logAtInfo();
        Path dir = Path.of(args[0]).toAbsolutePath();
        Path db = dir.resolve("bench.db");
        Path replica = dir.resolve("replica");
        long rows;
        if (!Files.exists(db) || !Files.isDirectory(replica.resolve("ltx"))) {
            Files.createDirectories(dir);
            Files.deleteIfExists(db);
            rows = fill(db);
            new ReplicaWriter(replica).commit(db, Instant.now());
        } else {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT max(id) FROM kv")) {
                rs.next();
                rows = rs.getLong(1);
            }
        }
        if (args.length >= 4) {
            try (S3Client s3 = S3Client.builder().httpClientBuilder(AwsCrtHttpClient.builder())
                    .endpointOverride(URI.create(args[1])).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("identity", "credential")))
                    .build()) {
                try {
                    s3.createBucket(b -> b.bucket(args[2]));
                } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    // exists already
                }
                ReplicaUpload.upload(replica, s3, args[2], args[3]);
            }
        }
        System.out.println(rows);
    }

    static long fill(Path db) throws Exception {
        Random rnd = new Random(7);
        long id = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA page_size=4096");
                s.execute("PRAGMA journal_mode=DELETE");
                s.execute("CREATE TABLE kv(id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
            }
            c.setAutoCommit(false);
            char[] buf = new char[PAYLOAD];
            try (PreparedStatement p = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
                while (Files.size(db) < TARGET_BYTES || id % 10_000 != 0) {
                    for (int k = 0; k < 10_000; k++) {
                        for (int i = 0; i < buf.length; i++) {
                            buf[i] = (char) ('a' + rnd.nextInt(26));
                        }
                        p.setLong(1, ++id);
                        p.setString(2, new String(buf));
                        p.addBatch();
                    }
                    p.executeBatch();
                    c.commit();
                }
            }
        }
        return id;
    }
}
