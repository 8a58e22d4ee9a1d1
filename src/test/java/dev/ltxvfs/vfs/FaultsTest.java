package dev.ltxvfs.vfs;

import static dev.ltxvfs.vfs.Served.exec;
import static dev.ltxvfs.vfs.Served.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.cache.PageCache;
import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.ltx.LtxTail;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.ReplicaStores;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.testing.ReplicaUpload;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.writer.ReplicaWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Broken replicas and storage give a clear SQL error (the failure behind it names the object and
 * what is wrong), never a wrong answer, and the next query after the fault is repaired succeeds.
 * Each test has its own replica, bucket and page cache, so no cached page hides a fault.
 *
 * <p>Corruption is put where the format can see it: a frame's page number or its compressed size,
 * the tail index. LTX v3 has no per-frame checksum: a flipped bit inside an LZ4 literal decodes to
 * a wrong page that only the whole-file checksum (which random access never reads) would catch.
 */
class FaultsTest {
    enum Where { LOCAL, S3 }

    static final String ALL = "SELECT * FROM t";
    static final String SUMMARY = "SELECT count(*), sum(v), sum(length(body)) FROM t";

    @TempDir
    Path dir;
    Path db;
    ReplicaWriter writer;
    String bucket;
    String name;
    ReplicaDatabase served;
    PageCache cache;

    /** A 4 KiB-page database: one big first commit (every page in file 1), then four small ones. */
    @BeforeEach
    void writeReplica() throws Exception {
        db = dir.resolve("primary.db");
        writer = new ReplicaWriter(dir.resolve("replica"));
        Instant t0 = Instant.parse("2026-05-01T00:00:00Z");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            exec(c, "CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER, body TEXT)");
            exec(c, "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 2000) "
                    + "INSERT INTO t SELECT i, i % 97, printf('%.*c', 100 + i % 300, 'x') FROM g");
            writer.commit(db, t0);
            for (int tx = 1; tx <= 4; tx++) {
                exec(c, "UPDATE t SET v = v + 1000 WHERE id % 400 = " + (tx * 37));
                writer.commit(db, t0.plusSeconds(tx));
            }
        }
        name = "faults-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void unserve() {
        if (served != null) {
            Served.unserve(name, served);
        }
    }

    private ReplicaStore openStore(Where where) {
        if (where == Where.LOCAL) {
            return ReplicaStores.open("file://" + writer.dir());
        }
        S3ProxyServer s3 = S3ProxyServer.get();
        if (bucket == null) {
            bucket = s3.newBucket("faults");
        }
        ReplicaUpload.upload(writer.dir(), s3.client(), bucket, "db");
        // Few, quick retries: an outage must fail in seconds, not in the default 10 s.
        return ReplicaStores.open(ReplicaUrl.parse(s3.replicaUrl(bucket, "db")),
                s3.options().withRetries(2, Duration.ofSeconds(3)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    /** Serves the replica with a cache of its own and waits for the index when {@code waitForIndex}. */
    private void serve(Where where, boolean waitForIndex) throws Exception {
        cache = new PageCache(64 << 20);
        served = Served.serve(name, openStore(where), cache, Duration.ofSeconds(20));
        if (waitForIndex) {
            served.start().get(30, TimeUnit.SECONDS);
        }
    }

    private List<String> expected(String sql) throws SQLException {
        try (Connection p = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            return rows(p, sql);
        }
    }

    /** Runs {@code sql}, expects an SQLException, and returns the VFS failure behind it. */
    private static String failure(Connection c, String sql) {
        LitestreamVfs.clearLastFailure();
        assertThatThrownBy(() -> rows(c, sql)).isInstanceOf(SQLException.class);
        Throwable cause = LitestreamVfs.takeLastFailure().orElseThrow(() -> new AssertionError("no VFS failure recorded"));
        return cause.getMessage();
    }

    /** Opens a connection and runs {@code sql}: either fails; returns the VFS failure behind it. */
    private String failureOpening(String sql) {
        LitestreamVfs.clearLastFailure();
        assertThatThrownBy(() -> {
            try (Connection c = Served.open(name)) {
                rows(c, sql);
            }
        }).isInstanceOf(SQLException.class);
        Throwable cause = LitestreamVfs.takeLastFailure().orElseThrow(() -> new AssertionError("no VFS failure recorded"));
        return cause.getMessage();
    }

    /** Replaces a replica file, on disk and (for S3) as the object, with {@code bytes}. */
    private void put(Where where, LtxFileInfo f, byte[] bytes) throws Exception {
        Path p = writer.levelDir(f.level()).resolve(f.fileName());
        Files.setLastModifiedTime(Files.write(p, bytes), Files.getLastModifiedTime(p));
        if (where == Where.S3) {
            String key = String.format("db/%04x/%s", f.level(), f.fileName());
            S3ProxyServer.get().client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        }
    }

    private byte[] bytesOf(LtxFileInfo f) throws Exception {
        return Files.readAllBytes(writer.levelDir(f.level()).resolve(f.fileName()));
    }

    /** A page the full scan reads whose newest version is in the first (big) file. */
    private FrameLocation frameInFirstFile() throws Exception {
        IndexSnapshot s = served.replica().current();
        for (int pgno = s.commit(); pgno > 1; pgno--) {
            FrameLocation f = s.frame(pgno);
            if (f != null && f.file().maxTxid() == 1) {
                return f;
            }
        }
        throw new AssertionError("no page of file 1 is current");
    }

    private static int pgnoAt(byte[] file, long offset) {
        return ((file[(int) offset] & 0xff) << 24) | ((file[(int) offset + 1] & 0xff) << 16)
                | ((file[(int) offset + 2] & 0xff) << 8) | (file[(int) offset + 3] & 0xff);
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aFrameWithTheWrongPageNumberFailsThenHealsWhenRepaired(Where where) throws Exception {
        serve(where, true);
        FrameLocation frame = frameInFirstFile();
        byte[] good = bytesOf(frame.file());
        int pgno = pgnoAt(good, frame.offset());
        byte[] bad = good.clone();
        bad[(int) frame.offset() + 3] ^= 0x40; // the low byte of the frame's page number
        put(where, frame.file(), bad);
        try (Connection c = Served.open(name)) {
            assertThat(failure(c, ALL)).contains(frame.file().fileName()).contains("expected page " + pgno);
            put(where, frame.file(), good);
            assertThat(rows(c, ALL)).isEqualTo(expected(ALL));
        }
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aFrameWithABadCompressedSizeFailsThenHeals(Where where) throws Exception {
        serve(where, true);
        FrameLocation frame = frameInFirstFile();
        byte[] good = bytesOf(frame.file());
        byte[] bad = good.clone();
        bad[(int) frame.offset() + 8] = 0x7f; // the compressed size becomes ~32 KiB in a small frame
        put(where, frame.file(), bad);
        try (Connection c = Served.open(name)) {
            assertThat(failure(c, SUMMARY)).contains(frame.file().fileName()).contains("compressed");
            put(where, frame.file(), good);
            assertThat(rows(c, SUMMARY)).isEqualTo(expected(SUMMARY));
        }
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aFileTruncatedAfterTheIndexWasBuiltFailsThenHeals(Where where) throws Exception {
        serve(where, true);
        FrameLocation frame = frameInFirstFile();
        byte[] good = bytesOf(frame.file());
        put(where, frame.file(), Arrays.copyOf(good, (int) frame.offset() + 3));
        try (Connection c = Served.open(name)) {
            String why = failure(c, ALL);
            assertThat(why).contains(frame.file().fileName());
            assertThat(why).containsAnyOf("short", "only");
            put(where, frame.file(), good);
            assertThat(rows(c, ALL)).isEqualTo(expected(ALL));
        }
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aCorruptTailIndexFailsTheOpenThenTheNextQueryOpens(Where where) throws Exception {
        Path p = writer.list(0).get(2);
        byte[] good = Files.readAllBytes(p);
        byte[] bad = good.clone();
        int lengthAt = good.length - LtxTail.FOOTER_SIZE; // the u64 index length before the trailer
        bad[lengthAt] = 0x7f;
        Files.write(p, bad);
        LtxFileInfo info = new LtxFileInfo(0, 3, 3, bad.length, Instant.EPOCH);
        serve(where, false);
        assertThat(failureOpening(SUMMARY)).contains(p.getFileName().toString()).contains("index");
        assertThat(served.ready()).isFalse();
        assertThat(served.replica().lastBuildMillis()).as("no build succeeded yet").isEqualTo(-1);
        put(where, info, good);
        try (Connection c = Served.open(name)) {
            assertThat(rows(c, SUMMARY)).isEqualTo(expected(SUMMARY));
        }
        assertThat(served.replica().lastBuildMillis()).isNotNegative();
    }

    @ParameterizedTest
    @EnumSource(Where.class)
    void aMissingObjectFailsTheQueryThenHealsWhenItIsBack(Where where) throws Exception {
        serve(where, true);
        IndexSnapshot s = served.replica().current();
        // Level 0 file 3 carries the newest version of some page; nothing else covers TXID 3.
        LtxFileInfo third = s.files().stream().filter(f -> f.minTxid() == 3).findFirst().orElseThrow();
        byte[] good = bytesOf(third);
        delete(where, third);
        try (Connection c = Served.open(name)) {
            String why = failure(c, ALL);
            assertThat(why).contains(third.fileName()).contains("gone");
            put(where, third, good);
            assertThat(rows(c, ALL)).isEqualTo(expected(ALL));
        }
    }

    /** Files compacted away under a reader are not a fault: the same state is re-planned from level 1. */
    @ParameterizedTest
    @EnumSource(Where.class)
    void filesCompactedAwayAreReplannedWithoutAnError(Where where) throws Exception {
        serve(where, true);
        IndexSnapshot s = served.replica().current();
        writer.compact(1);
        if (where == Where.S3) {
            ReplicaUpload.upload(writer.dir(), S3ProxyServer.get().client(), bucket, "db");
        }
        for (LtxFileInfo f : s.files()) {
            delete(where, f);
        }
        try (Connection c = Served.open(name)) {
            assertThat(rows(c, ALL)).isEqualTo(expected(ALL));
            assertThat(rows(c, "PRAGMA litestream_txid")).containsExactly(String.format("%016x", 5));
        }
        // The re-planned state replaces the stale one: later transactions do not re-plan again.
        long lists = served.replica().store().stats().lists.sum();
        cache.invalidateAll();
        try (Connection c = Served.open(name)) {
            assertThat(rows(c, ALL)).isEqualTo(expected(ALL));
        }
        assertThat(served.replica().store().stats().lists.sum()).isEqualTo(lists);
        assertThat(served.replica().current().files()).noneMatch(s.files()::contains);
    }

    private void delete(Where where, LtxFileInfo f) throws Exception {
        Files.delete(writer.levelDir(f.level()).resolve(f.fileName()));
        if (where == Where.S3) {
            String key = String.format("db/%04x/%s", f.level(), f.fileName());
            S3ProxyServer.get().client().deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    @Test
    void anS3ServerThatIsDownFailsClearlyThenTheNextQuerySucceeds() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        serve(Where.S3, true);
        try (Connection c = Served.open(name)) {
            s3.stop();
            try {
                String why = failure(c, ALL);
                assertThat(why).contains("s3://" + bucket + "/db/0000/");
            } finally {
                s3.start();
            }
            s3.ensureBucket(bucket); // the in-memory backend forgets everything on restart
            ReplicaUpload.upload(writer.dir(), s3.client(), bucket, "db");
            assertThat(rows(c, ALL)).isEqualTo(expected(ALL));
        }
    }

    @Test
    void anS3ServerThatIsDownAtOpenFailsTheOpenThenTheNextQueryOpens() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        ReplicaStore store = openStore(Where.S3);
        s3.stop();
        try {
            served = Served.serve(name, store, new PageCache(64 << 20), Duration.ofSeconds(20));
            assertThat(failureOpening(SUMMARY)).contains("opening database '" + name + "'").contains("s3://" + bucket + "/db");
        } finally {
            s3.start();
        }
        s3.ensureBucket(bucket);
        ReplicaUpload.upload(writer.dir(), s3.client(), bucket, "db");
        try (Connection c = Served.open(name)) {
            assertThat(rows(c, SUMMARY)).isEqualTo(expected(SUMMARY));
        }
    }
}
