package dev.ltxvfs.store;

import static dev.ltxvfs.testing.Unis.WAIT;
import static dev.ltxvfs.testing.Unis.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirStoreTest {
    @TempDir
    Path dir;

    Path put(int level, String name, byte[] body, Instant mtime) throws IOException {
        Path p = dir.resolve("ltx/" + level + "/" + name);
        Files.createDirectories(p.getParent());
        Files.write(p, body);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
        return p;
    }

    static String name(long min, long max) {
        return String.format("%016x-%016x.ltx", min, max);
    }

    static byte[] content(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) (i * 7 + 3);
        return b;
    }

    @Test
    void listsALevelInTxidOrderWithSizeAndMtimeSkippingOtherNames() throws IOException {
        Instant t1 = Instant.parse("2026-01-02T03:04:05.678Z");
        put(0, name(0x10, 0x10), content(7), t1.plusSeconds(2));
        put(0, name(0x2, 0x2), content(5), t1);
        put(0, name(0xf, 0xf), content(6), t1.plusSeconds(1));
        put(0, "0000000000000003-0000000000000003.ltx.tmp", content(1), t1);
        put(0, "notes.ltx", content(1), t1);
        put(1, name(1, 0x10), content(9), t1);
        try (LocalDirStore store = new LocalDirStore(dir)) {
            List<LtxFileInfo> l0 = store.list(0, 0).await().atMost(WAIT);
            assertThat(l0).extracting(LtxFileInfo::minTxid).containsExactly(0x2L, 0xfL, 0x10L);
            assertThat(l0).extracting(LtxFileInfo::size).containsExactly(5L, 6L, 7L);
            assertThat(l0.getFirst().createdAt()).isEqualTo(t1);
            assertThat(store.list(0, 0xf).await().atMost(WAIT)).extracting(LtxFileInfo::minTxid).containsExactly(0xfL, 0x10L);
            assertThat(store.list(1, 0).await().atMost(WAIT)).containsExactly(new LtxFileInfo(1, 1, 0x10, 9, t1));
            assertThat(store.list(9, 0).await().atMost(WAIT)).isEmpty(); // no such level folder yet
        }
    }

    @Test
    void listsEveryLevelInOneWalkByLevelThenTxid() throws IOException {
        Instant t = Instant.parse("2026-01-02T03:04:05Z");
        put(9, name(1, 0x20), content(4), t);
        put(0, name(0x22, 0x22), content(1), t);
        put(0, name(0x21, 0x21), content(1), t);
        put(2, name(1, 0x10), content(3), t);
        put(1, name(0x11, 0x18), content(2), t);
        Files.createDirectories(dir.resolve("ltx/5")); // a level emptied by retention
        Files.createDirectories(dir.resolve("ltx/tmp")); // not a level
        try (LocalDirStore store = new LocalDirStore(dir)) {
            assertThat(store.listAll().await().atMost(WAIT)).extracting(LtxFileInfo::toString).containsExactly(
                    "L0/" + name(0x21, 0x21), "L0/" + name(0x22, 0x22), "L1/" + name(0x11, 0x18),
                    "L2/" + name(1, 0x10), "L9/" + name(1, 0x20));
            assertThat(store.stats().lists.sum()).isEqualTo(1);
        }
        try (LocalDirStore empty = new LocalDirStore(dir.resolve("nothing-yet"))) {
            assertThat(empty.listAll().await().atMost(WAIT)).isEmpty();
        }
    }

    @Test
    void readsRangesAndTails() throws IOException {
        byte[] body = content(10_000);
        put(2, name(1, 100), body, Instant.now());
        try (LocalDirStore store = new LocalDirStore(dir)) {
            LtxFileInfo f = store.list(2, 0).await().atMost(WAIT).getFirst();
            assertThat(store.read(f, 1234, 100).await().atMost(WAIT)).isEqualTo(Arrays.copyOfRange(body, 1234, 1334));
            assertThat(store.read(f, 0, 0).await().atMost(WAIT)).isEmpty();
            assertThat(store.readTail(f, 64).await().atMost(WAIT)).isEqualTo(Arrays.copyOfRange(body, 10_000 - 64, 10_000));
            assertThat(store.stats().gets.sum()).isEqualTo(3);
            assertThat(store.stats().bytes.sum()).isEqualTo(164);
        }
    }

    @Test
    void aMissingFileIsObjectNotFoundAndAShortOneNamesTheFile() throws IOException {
        Path p = put(0, name(1, 1), content(100), Instant.now());
        try (LocalDirStore store = new LocalDirStore(dir)) {
            LtxFileInfo f = store.list(0, 0).await().atMost(WAIT).getFirst();
            assertThat(failure(store.read(f, 90, 20))).isExactlyInstanceOf(StoreException.class)
                    .hasMessageContaining(p.toString()).hasMessageContaining("100 bytes");
            Files.delete(p);
            assertThat(failure(store.read(f, 0, 10))).isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(p.toString());
        }
    }

    @Test
    void workRunsOffTheCallersThread() throws IOException {
        put(0, name(1, 1), content(10), Instant.now());
        try (LocalDirStore store = new LocalDirStore(dir)) {
            String caller = Thread.currentThread().getName();
            String worker = store.list(0, 0).map(l -> Thread.currentThread().getName()).await().atMost(WAIT);
            assertThat(worker).isNotEqualTo(caller).startsWith("ltxvfs-file-io-");
        }
    }

    @Test
    void aClosedStoreFailsInsteadOfHanging() {
        LocalDirStore store = new LocalDirStore(dir);
        store.close();
        assertThat(failure(store.list(0, 0))).isInstanceOf(StoreException.class).hasMessageContaining("closed");
    }
}
