package dev.ltxvfs.writer;

import dev.ltxvfs.ltx.LtxCompactor;
import dev.ltxvfs.ltx.LtxEncoder;
import dev.ltxvfs.ltx.LtxFileName;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.ltx.LtxSnapshot;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Our own Litestream-style writer for a local SQLite file: ships each change as a level-0 LTX
 * file, compacts levels, takes level-9 snapshots, and applies retention, in the layout of
 * Litestream's file replica ({@code <dir>/ltx/<level>/<min>-<max>.ltx}, mtime = header time).
 * It powers the embedded demo and the tests that need a replica with history; Litestream itself
 * (or its VFS in write mode) is the production writer.
 *
 * <p>Files appear atomically (written aside, then renamed), so a concurrent reader never lists a
 * half-written one. Not thread-safe: one writer per replica.
 */
public final class ReplicaWriter {
    private final Path dir;
    private byte[][] shipped = new byte[0][];
    private int pageSize;
    private long txid;

    public ReplicaWriter(Path replicaDir) throws IOException {
        this.dir = replicaDir;
        Files.createDirectories(levelDir(0));
        txid = maxTxid();
    }

    public Path dir() {
        return dir;
    }

    /** The newest TXID shipped. */
    public long txid() {
        return txid;
    }

    public Path levelDir(int level) {
        return dir.resolve("ltx").resolve(Integer.toString(level));
    }

    /**
     * Ships the pages of {@code db} that changed since the last commit (all of them the first time,
     * which makes TXID 1 a snapshot) as one level-0 file. Returns null when nothing changed.
     */
    public Path commit(Path db, Instant at) throws IOException {
        byte[] image = Files.readAllBytes(db);
        if (image.length < 100) {
            throw new IOException(db + " is not a SQLite database (" + image.length + " bytes)");
        }
        int raw = ((image[16] & 0xff) << 8) | (image[17] & 0xff);
        int ps = raw == 1 ? 65536 : raw;
        if (pageSize != 0 && ps != pageSize) {
            throw new IOException("page size changed from " + pageSize + " to " + ps + "; take a snapshot instead");
        }
        pageSize = ps;
        int commit = image.length / ps;
        int lock = LtxHeader.lockPage(ps);
        List<Integer> changed = new ArrayList<>();
        for (int pgno = 1; pgno <= commit; pgno++) {
            if (pgno == lock) {
                continue;
            }
            int off = (pgno - 1) * ps;
            byte[] old = pgno <= shipped.length ? shipped[pgno - 1] : null;
            if (old == null || !Arrays.equals(old, 0, ps, image, off, off + ps)) {
                changed.add(pgno);
            }
        }
        if (changed.isEmpty() && commit == shipped.length) {
            return null;
        }
        long next = txid + 1;
        Path out = write(0, next, next, at, o -> {
            LtxEncoder enc = new LtxEncoder(o, LtxHeader.of(ps, commit, next, next, at.toEpochMilli()));
            for (int pgno : changed) {
                enc.writePage(pgno, image, (pgno - 1) * ps);
            }
            enc.finish();
        });
        byte[][] now = new byte[commit][];
        for (int pgno = 1; pgno <= commit; pgno++) {
            now[pgno - 1] = pgno == lock ? null : Arrays.copyOfRange(image, (pgno - 1) * ps, pgno * ps);
        }
        shipped = now;
        txid = next;
        return out;
    }

    /** A level-9 snapshot of {@code db} as of the newest TXID (call right after a commit). */
    public Path snapshot(Path db, Instant at) throws IOException {
        long max = txid;
        return write(9, 1, max, at, o -> LtxSnapshot.write(db, max, at.toEpochMilli(), o));
    }

    /**
     * Compacts every file of {@code level - 1} newer than the newest file of {@code level} into one
     * file of {@code level}. Returns null when there is nothing new.
     */
    public Path compact(int level) throws IOException {
        long done = list(level).stream().mapToLong(f -> LtxFileName.parse(f.getFileName().toString()).maxTxid()).max().orElse(0);
        List<Path> inputs = list(level - 1).stream()
                .filter(f -> LtxFileName.parse(f.getFileName().toString()).minTxid() > done)
                .toList();
        if (inputs.isEmpty()) {
            return null;
        }
        long min = LtxFileName.parse(inputs.getFirst().getFileName().toString()).minTxid();
        long max = LtxFileName.parse(inputs.getLast().getFileName().toString()).maxTxid();
        Instant last = Files.getLastModifiedTime(inputs.getLast()).toInstant();
        return write(level, min, max, last, o -> {
            List<InputStream> streams = new ArrayList<>();
            try {
                List<LtxCompactor.Input> in = new ArrayList<>();
                for (Path p : inputs) {
                    InputStream s = Files.newInputStream(p);
                    streams.add(s);
                    in.add(new LtxCompactor.Input(s, p.toString()));
                }
                LtxCompactor.compact(in, o);
            } finally {
                for (InputStream s : streams) {
                    s.close();
                }
            }
        });
    }

    /**
     * Retention: deletes the files of {@code level} that {@code level + 1} covers and that are
     * older than {@code before}, keeping the newest file of the level as Litestream does.
     */
    public int deleteCompacted(int level, Instant before) throws IOException {
        long covered = list(level + 1).stream().mapToLong(f -> LtxFileName.parse(f.getFileName().toString()).maxTxid()).max().orElse(0);
        List<Path> files = list(level);
        int deleted = 0;
        for (int i = 0; i < files.size() - 1; i++) {
            Path f = files.get(i);
            if (LtxFileName.parse(f.getFileName().toString()).maxTxid() <= covered
                    && Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                Files.delete(f);
                deleted++;
            }
        }
        return deleted;
    }

    /** The LTX files of a level, oldest first. */
    public List<Path> list(int level) throws IOException {
        Path d = levelDir(level);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> LtxFileName.parse(p.getFileName().toString()) != null)
                    .sorted()
                    .toList();
        }
    }

    private long maxTxid() throws IOException {
        long max = 0;
        for (int level = 0; level <= 9; level++) {
            for (Path p : list(level)) {
                max = Math.max(max, LtxFileName.parse(p.getFileName().toString()).maxTxid());
            }
        }
        return max;
    }

    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private Path write(int level, long min, long max, Instant at, Body body) throws IOException {
        Path d = levelDir(level);
        Files.createDirectories(d);
        Path target = d.resolve(LtxFileName.format(min, max));
        Path tmp = d.resolve("." + target.getFileName() + ".tmp");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
            body.writeTo(o);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        // Litestream's file replica keeps the header time (ms) as mtime; its readers rely on it.
        Files.setLastModifiedTime(tmp, FileTime.fromMillis(at.toEpochMilli())); // the header has ms
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
