package dev.ltxvfs.store;

import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A replica in a local directory, in the layout of Litestream's file replica:
 * {@code <dir>/ltx/<level decimal>/<min>-<max>.ltx}, each file's mtime set to its LTX header time.
 * File I/O runs on a small pool of its own, never on the caller's thread, so callers treat this
 * store exactly like S3 (the caller may be an event loop).
 */
public final class LocalDirStore implements ReplicaStore {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Path dir;
    private final ExecutorService io;
    private final StoreStats stats = new StoreStats();

    public LocalDirStore(Path dir) {
        this(dir, 4);
    }

    public LocalDirStore(Path dir, int ioThreads) {
        this.dir = dir.toAbsolutePath().normalize();
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor threads = new ThreadPoolExecutor(ioThreads, ioThreads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "ltxvfs-file-io-" + pool + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        threads.allowCoreThreadTimeOut(true); // an idle replica (one of thousands in a catalog) keeps no thread
        this.io = threads;
    }

    public Path directory() {
        return dir;
    }

    /** Where the files of {@code level} live. */
    public Path levelDir(int level) {
        return dir.resolve("ltx").resolve(Integer.toString(level));
    }

    public Path pathOf(LtxFileInfo file) {
        return levelDir(file.level()).resolve(file.fileName());
    }

    @Override
    public Uni<List<LtxFileInfo>> listAll() {
        return onIo(() -> {
            stats.lists.increment();
            List<LtxFileInfo> files = new ArrayList<>();
            for (int level : levelsPresent()) {
                files.addAll(listNow(level, 0));
            }
            return files;
        });
    }

    /** The levels whose folders exist, ascending: one read of {@code ltx/} instead of a try per level. */
    private List<Integer> levelsPresent() throws StoreException {
        Path ltx = dir.resolve("ltx");
        List<Integer> levels = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(ltx, "[0-9]")) {
            entries.forEach(p -> levels.add(p.getFileName().toString().charAt(0) - '0'));
        } catch (NoSuchFileException e) {
            return List.of(); // nothing replicated yet
        } catch (IOException e) {
            throw new StoreException("cannot list " + ltx + ": " + e, e);
        }
        levels.sort(null);
        return levels;
    }

    @Override
    public Uni<List<LtxFileInfo>> list(int level, long minTxidAtLeast) {
        LtxNames.checkLevel(level);
        return onIo(() -> {
            stats.lists.increment();
            return listNow(level, minTxidAtLeast);
        });
    }

    private List<LtxFileInfo> listNow(int level, long minTxidAtLeast) throws StoreException {
        Path levelDir = levelDir(level);
        List<LtxFileInfo> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(levelDir, "*.ltx")) {
            for (Path p : entries) {
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (NoSuchFileException gone) {
                    continue; // deleted by retention while we listed
                }
                if (!attrs.isRegularFile()) continue;
                LtxFileInfo f = LtxNames.parse(level, p.getFileName().toString(), attrs.size(),
                        attrs.lastModifiedTime().toInstant());
                if (f != null && LtxNames.startsAtLeast(f, minTxidAtLeast)) {
                    files.add(f);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of(); // a level nobody has written yet
        } catch (IOException e) {
            throw new StoreException("cannot list " + levelDir + ": " + e, e);
        }
        files.sort(LtxNames::compare);
        return files;
    }

    @Override
    public Uni<byte[]> read(LtxFileInfo file, long offset, int length) {
        LtxNames.checkRange(file, offset, length);
        return onIo(() -> {
            stats.gets.increment();
            byte[] bytes = readNow(pathOf(file), offset, length);
            stats.bytes.add(bytes.length);
            return bytes;
        });
    }

    private static byte[] readNow(Path path, long offset, int length) throws StoreException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                int n = ch.read(buf, offset + buf.position());
                if (n < 0) {
                    throw new StoreException("short file " + path + ": it is " + ch.size() + " bytes, cannot read "
                            + length + " bytes at offset " + offset);
                }
            }
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException("no such file " + path);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException("cannot read " + path + " (" + length + " bytes at offset " + offset + "): " + e, e);
        }
        return buf.array();
    }

    private <T> Uni<T> onIo(Callable<T> work) {
        return Uni.createFrom().emitter(em -> {
            try {
                io.execute(() -> {
                    try {
                        em.complete(work.call());
                    } catch (Throwable t) {
                        stats.failures.increment();
                        em.fail(t);
                    }
                });
            } catch (RejectedExecutionException e) {
                em.fail(new StoreException("store " + location() + " is closed"));
            }
        });
    }

    @Override
    public String location() {
        return "file://" + dir;
    }

    @Override
    public StoreStats stats() {
        return stats;
    }

    @Override
    public void close() {
        io.shutdown();
    }

    @Override
    public String toString() {
        return "LocalDirStore(" + location() + ")";
    }
}
