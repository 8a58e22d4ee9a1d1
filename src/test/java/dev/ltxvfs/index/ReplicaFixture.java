package dev.ltxvfs.index;

import dev.ltxvfs.ltx.LtxEncoder;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.store.LtxFileInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes real LTX files (with {@link LtxEncoder}) into a directory in the layout
 * {@link dev.ltxvfs.store.LocalDirStore} reads: {@code ltx/<level>/<min>-<max>.ltx}, mtime set to
 * the header time, which is {@link #T0} + max TXID seconds.
 */
public final class ReplicaFixture {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Path dir;
    private final int pageSize;

    public ReplicaFixture(Path dir, int pageSize) {
        this.dir = dir;
        this.pageSize = pageSize;
    }

    public Path dir() {
        return dir;
    }

    public static Instant timeOf(long txid) {
        return T0.plusSeconds(txid);
    }

    /**
     * Content of version {@code version} of page {@code pgno}: both numbers up front, then a
     * pattern that compresses somewhat, so frames differ in size.
     */
    public static byte[] page(int pageSize, int pgno, long version) {
        byte[] b = new byte[pageSize];
        for (int i = 0; i < pageSize; i++) {
            b[i] = (byte) ((i / (1 + (pgno % 7))) * 31 + version);
        }
        writeInt(b, 0, pgno);
        writeInt(b, 4, (int) version);
        return b;
    }

    /** Writes the file covering {@code min..max} of {@code history} at {@code level}. */
    public LtxFileInfo write(History history, int level, long min, long max) throws IOException {
        Map<Integer, Long> pages = level == 9 ? history.stateAt(max) : history.changes(min, max);
        return write(level, level == 9 ? 1 : min, max, history.commitAt(max), pages);
    }

    /** Writes one file holding version {@code pages.get(p)} of every page p. */
    public LtxFileInfo write(int level, long min, long max, int commit, Map<Integer, Long> pages) throws IOException {
        Path levelDir = dir.resolve("ltx").resolve(Integer.toString(level));
        Files.createDirectories(levelDir);
        Instant time = timeOf(max);
        LtxFileInfo name = new LtxFileInfo(level, min, max, 0, time);
        Path path = levelDir.resolve(name.fileName());
        try (OutputStream out = Files.newOutputStream(path)) {
            LtxEncoder enc = new LtxEncoder(out, LtxHeader.of(pageSize, commit, min, max, time.toEpochMilli()));
            for (var e : new TreeMap<>(pages).entrySet()) {
                enc.writePage(e.getKey(), page(pageSize, e.getKey(), e.getValue()), 0);
            }
            enc.finish();
        }
        Files.setLastModifiedTime(path, FileTime.from(time));
        return new LtxFileInfo(level, min, max, Files.size(path), time);
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
