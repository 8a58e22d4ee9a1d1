package dev.ltxvfs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The harness itself: the reference VFS writes a replica, reads it back, and reads its S3 copy. */
class ReferenceVfsTest {
    @TempDir
    Path replica;

    @Test
    void writesOneLevel0FilePerCommitAndReadsThemBack() throws IOException {
        ReferenceVfs ref = ReferenceVfs.get();
        ref.write(replica, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT);");
        ref.write(replica, "INSERT INTO t VALUES (1, 'one'), (2, 'two');");
        ref.write(replica, "UPDATE t SET name = 'TWO' WHERE id = 2; INSERT INTO t VALUES (3, 'three');");

        assertThat(ltxFiles()).containsExactly("ltx/0/0000000000000001-0000000000000001.ltx",
                "ltx/0/0000000000000002-0000000000000002.ltx", "ltx/0/0000000000000003-0000000000000003.ltx");
        // The file replica's mtime is the LTX header time (point-in-time reads depend on it).
        Path third = replica.resolve("ltx/0/0000000000000003-0000000000000003.ltx");
        assertThat(Files.getLastModifiedTime(third).toInstant()).isEqualTo(ReplicaUpload.headerTimestamp(third));

        String url = "file://" + replica;
        assertThat(ref.query(url, "SELECT id, name FROM t ORDER BY id;")).containsExactly("1|one", "2|TWO", "3|three");
        assertThat(ref.query(url, "PRAGMA litestream_txid;")).containsExactly("0000000000000003");
        assertThat(ref.query(url, "PRAGMA page_size;")).containsExactly("4096");
    }

    @Test
    void aLongerHistoryReadsTheSameFromS3AfterUpload() throws IOException {
        ReferenceVfs ref = ReferenceVfs.get();
        ref.write(replica, "CREATE TABLE big(x BLOB);");
        for (int i = 0; i < 3; i++) {
            ref.write(replica, "INSERT INTO big SELECT randomblob(3000) FROM generate_series(1, 50);");
        }
        String sql = "SELECT count(*), sum(length(x)) FROM big;";
        assertThat(ref.query("file://" + replica, sql)).containsExactly("150|450000");

        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.newBucket("ref");
        List<String> keys = ReplicaUpload.upload(replica, s3.client(), bucket, "db");
        assertThat(keys).hasSize(4).first().isEqualTo("db/0000/0000000000000001-0000000000000001.ltx");

        HeadObjectResponse head = s3.client().headObject(b -> b.bucket(bucket).key(keys.getFirst()));
        Instant ts = ReplicaUpload.headerTimestamp(replica.resolve("ltx/0/0000000000000001-0000000000000001.ltx"));
        assertThat(head.metadata()).containsEntry("litestream-timestamp", ReplicaUpload.rfc3339Nano(ts));

        assertThat(ref.query(s3.replicaUrl(bucket, "db"), sql, s3.awsEnvironment())).containsExactly("150|450000");
    }

    @Test
    void rfc3339NanoMatchesGo() {
        assertThat(ReplicaUpload.rfc3339Nano(Instant.parse("2026-11-24T01:02:53.824Z"))).isEqualTo("2026-11-24T01:02:53.824Z");
        assertThat(ReplicaUpload.rfc3339Nano(Instant.parse("2026-11-24T01:02:53.820Z"))).isEqualTo("2026-11-24T01:02:53.82Z");
        assertThat(ReplicaUpload.rfc3339Nano(Instant.parse("2026-11-24T01:02:53Z"))).isEqualTo("2026-11-24T01:02:53Z");
    }

    private List<String> ltxFiles() throws IOException {
        try (Stream<Path> s = Files.walk(replica)) {
            return s.filter(Files::isRegularFile).map(p -> replica.relativize(p).toString()).sorted().toList();
        }
    }
}
