package dev.ltxvfs.writer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.testing.ReplicaUpload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaWriterTest {
    @TempDir
    Path dir;

    @Test
    void aFilesMtimeIsExactlyItsHeaderTimeInMilliseconds() throws Exception {
        Path db = dir.resolve("p.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(x)");
        }
        // Sub-millisecond precision must not leak into the mtime: point-in-time readers of a
        // file replica (the reference VFS) compare mtimes, Litestream writes the header's ms.
        Instant at = Instant.parse("2026-03-01T10:00:00.123456789Z");
        Path f = new ReplicaWriter(dir.resolve("replica")).commit(db, at);
        assertThat(ReplicaUpload.headerTimestamp(f)).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
        assertThat(Files.getLastModifiedTime(f).toInstant()).isEqualTo(Instant.parse("2026-03-01T10:00:00.123Z"));
    }
}
