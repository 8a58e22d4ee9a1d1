package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.ReadStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Serves a plain SQLite file through the VFS interfaces, page by page: isolates the FFM layer
 * from LTX and storage in the tests of this package.
 */
final class FileDatabase implements VfsDatabase {
    private final String name;
    private volatile View view;

    FileDatabase(String name, Path file, long txid) {
        this.name = name;
        this.view = load(file, txid);
    }

    void replace(Path file, long txid) {
        view = load(file, txid);
    }

    private static View load(Path file, long txid) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int ps = ((bytes[16] & 0xff) << 8) | (bytes[17] & 0xff);
            return new View(bytes, ps == 1 ? 65536 : ps, txid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ReplicaView current() {
        return view;
    }

    @Override
    public ReplicaView at(String when) {
        throw new IllegalArgumentException("no history in a plain file: " + when);
    }

    @Override
    public ReplicaView atTxid(long txid) {
        if (view.txid() == txid) {
            return view;
        }
        throw new PointInTimeException("no history in a plain file: TXID " + txid, null);
    }

    @Override
    public long lagSeconds() {
        return 0;
    }

    record View(byte[] bytes, int pageSize, long txid) implements ReplicaView {
        @Override
        public long pageCount() {
            return bytes.length / pageSize;
        }

        @Override
        public Instant timestamp() {
            return Instant.EPOCH;
        }

        @Override
        public byte[] page(int pgno, ReadStream stream) {
            byte[] p = new byte[pageSize];
            System.arraycopy(bytes, (pgno - 1) * pageSize, p, 0, pageSize);
            return pgno == 1 ? PageOne.served(p, txid, pageCount(), pageSize) : p;
        }
    }
}
