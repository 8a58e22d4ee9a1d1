package dev.ltxvfs.ltx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LtxSnapshotTest {

    @TempDir
    Path dir;

    private Path database(int pageSize, int rows) throws Exception {
        Path db = dir.resolve("test-" + pageSize + ".db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size = " + pageSize);
            s.execute("PRAGMA journal_mode = DELETE");
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, body BLOB)");
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO t (name, body) VALUES (?, randomblob(?))")) {
                for (int i = 0; i < rows; i++) {
                    p.setString(1, "name " + i);
                    p.setInt(2, i % 200);
                    p.addBatch();
                }
                p.executeBatch();
            }
            c.commit();
        }
        return db;
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096, 65536})
    void snapshotPagesEqualTheDatabaseFile(int pageSize) throws Exception {
        Path db = database(pageSize, 3000);
        byte[] bytes = Files.readAllBytes(db);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LtxHeader h = LtxSnapshot.write(db, 42, 1_700_000_000_000L, out);

        assertThat(h).isEqualTo(LtxHeader.of(pageSize, bytes.length / pageSize, 1, 42, 1_700_000_000_000L));
        int[] count = {0};
        LtxDecoder.decode(new ByteArrayInputStream(out.toByteArray()), "snap", (pgno, page) -> {
            int off = (pgno - 1) * pageSize;
            assertThat(page).as("page %d", pgno).isEqualTo(Arrays.copyOfRange(bytes, off, off + pageSize));
            count[0]++;
        });
        assertThat(count[0]).isEqualTo(bytes.length / pageSize).isGreaterThan(1);
    }

    @Test
    void notASqliteFileIsRejected() throws Exception {
        Path junk = dir.resolve("junk.db");
        Files.write(junk, new byte[4096]);
        assertThatThrownBy(() -> LtxSnapshot.write(junk, 1, 0, new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class).hasMessageContaining("junk.db").hasMessageContaining("not a SQLite database");
    }

    @Test
    void partialPageIsRejected() throws Exception {
        Path db = database(4096, 10);
        Files.write(db, new byte[1], java.nio.file.StandardOpenOption.APPEND);
        assertThatThrownBy(() -> LtxSnapshot.write(db, 1, 0, new ByteArrayOutputStream()))
                .isInstanceOf(IOException.class).hasMessageContaining("whole number");
    }
}
