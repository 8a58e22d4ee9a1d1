package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.store.CatalogStore;
import dev.ltxvfs.store.ReplicaUrl;
import dev.ltxvfs.store.S3Options;
import dev.ltxvfs.testing.S3ProxyServer;
import dev.ltxvfs.testing.Tenants;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a catalog says of names that are not databases: names refused before storage is asked, a
 * missing folder, a folder without a replica, storage down during a lazy open, a database deleted
 * while open.
 */
class CatalogNamesTest extends CatalogHarness {
    @Test
    void badNamesAreRefusedNamingTheRule() {
        serve(localCatalog(), 1000, Duration.ofMinutes(10));
        String[][] cases = {
            {"a/b", "no '/'"}, {"..", "'..'"}, {"t-001/../t-002", "no '/'"}, {"a..b", "'..'"}, {"%2e%2e", "'%'"},
            {"t%2F001", "'%'"}, {"a\u0001b", "control characters"}, {"a\nb", "control characters"},
            {"x".repeat(256), "at most 255 bytes"}, {"é".repeat(128), "at most 255 bytes"}, {"", "empty"}, {"a\\b", "'\\'"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> registry.acquire(c[0])).as(c[0]).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(c[1]);
        }
        assertThat(registry.catalogs()).hasSize(1); // nothing asked of storage: no catalog request at all
    }

    @Test
    void aMissingNameCostsOneRequestAndIsRememberedBriefly() throws Exception {
        CatalogStore catalog = s3Catalog();
        serve(catalog, 1000, Duration.ofMinutes(10));
        long lists = catalog.stats().lists.sum();
        assertThatThrownBy(() -> registry.acquire("nobody")).isInstanceOf(NoSuchDatabaseException.class)
                .hasMessageContaining("has no folder 'nobody'");
        assertThat(catalog.stats().lists.sum() - lists).isEqualTo(1);
        assertThatThrownBy(() -> registry.acquire("nobody")).isInstanceOf(NoSuchDatabaseException.class);
        assertThat(catalog.stats().lists.sum() - lists).isEqualTo(1); // remembered: no second request
        Thread.sleep(600); // past the miss memory: asked again
        assertThatThrownBy(() -> registry.acquire("nobody")).isInstanceOf(NoSuchDatabaseException.class);
        assertThat(catalog.stats().lists.sum() - lists).isEqualTo(2);
        assertThat(registry.openCount()).isZero();
    }

    @Test
    void aFolderWithoutAReplicaIsNotADatabaseAndSaysWhy() throws Exception {
        Files.createDirectories(tenants.dir.resolve("notes"));
        Files.writeString(tenants.dir.resolve("notes/readme.txt"), "not a replica");
        try {
            serve(localCatalog(), 1000, Duration.ofMinutes(10));
            assertThatThrownBy(() -> registry.acquire("notes")).isInstanceOf(NoSuchDatabaseException.class)
                    .hasMessageContaining("holds no Litestream replica");
            assertThatThrownBy(() -> query("notes", "SELECT 1")).isInstanceOf(SQLException.class);
        } finally {
            deleteTree(tenants.dir.resolve("notes"));
        }
    }

    @Test
    void storageDownDuringALazyOpenIsAnErrorNotAMiss() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort(); // nothing listens here once closed
        }
        S3Options quick = S3ProxyServer.get().options().withRetries(1, Duration.ofSeconds(2)).withAttemptTimeout(Duration.ofSeconds(1));
        CatalogStore catalog = CatalogStore.open(ReplicaUrl.parse("s3://" + bucket + "/tenants?endpoint=http://127.0.0.1:" + dead
                + "&region=us-east-1&forcePathStyle=true"), quick);
        serve(catalog, 1000, Duration.ofMinutes(10));
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertThatThrownBy(() -> registry.acquire("t-001")).isInstanceOf(IOException.class)
                    .isNotInstanceOf(NoSuchDatabaseException.class)
                    .hasMessageContaining("storage unavailable");
            assertThat(catalog.stats().lists.sum()).as("each attempt asks storage again").isEqualTo(attempt);
        }
    }

    @Test
    void aDatabaseDeletedWhileOpenFailsClearlyClosesAndReopensWhenItComesBack() throws Exception {
        Path folder = tenants.dir.resolve(Tenants.name(150));
        Path saved = root.resolve("saved-150");
        serve(localCatalog(), 1000, Duration.ofMinutes(10));
        assertThat(query(Tenants.name(150), "SELECT id, name FROM t")).containsExactly(Tenants.answer(150));
        copyTree(folder, saved);
        deleteTree(folder);
        registry.cache().invalidateAll(); // the next read must go to storage
        assertThatThrownBy(() -> query(Tenants.name(150), "SELECT id, name FROM t")).isInstanceOf(SQLException.class);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Throwable last = null;
        while (System.nanoTime() < end) {
            try {
                registry.acquire(Tenants.name(150)).close();
            } catch (NoSuchDatabaseException e) {
                last = e;
                break;
            }
            Thread.sleep(50);
        }
        assertThat(last).as("the deleted database closes and is then not found").isNotNull()
                .hasMessageContaining("has no folder");
        copyTree(saved, folder);
        Thread.sleep(600); // past the miss memory
        assertThat(query(Tenants.name(150), "SELECT id, name FROM t")).containsExactly(Tenants.answer(150));
    }

}
