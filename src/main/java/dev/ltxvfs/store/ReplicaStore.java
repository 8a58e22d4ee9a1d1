package dev.ltxvfs.store;

import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Random access to the LTX files of one replica, over a local directory or an object store.
 * Every method is non-blocking: it returns at once and completes the {@link Uni} later.
 * Failures are {@link StoreException}s ({@link ObjectNotFoundException} when an object is gone).
 */
public interface ReplicaStore extends AutoCloseable {

    /**
     * Every file of levels 0..9, sorted by level, then MinTXID: what a restore plan chooses from.
     * One request while the replica holds fewer files than a listing page (one S3 LIST, one
     * directory walk); more only for bigger replicas, and then in parallel.
     */
    Uni<List<LtxFileInfo>> listAll();

    /**
     * Files of {@code level} whose MinTXID is at least {@code minTxidAtLeast}, sorted by MinTXID.
     * Implementations seek there (S3 StartAfter) instead of listing the whole level.
     */
    Uni<List<LtxFileInfo>> list(int level, long minTxidAtLeast);

    /** Exactly {@code length} bytes of {@code file} from {@code offset}; a shorter object is an error. */
    Uni<byte[]> read(LtxFileInfo file, long offset, int length);

    /** The last {@code min(size, maxLength)} bytes of {@code file}. */
    default Uni<byte[]> readTail(LtxFileInfo file, int maxLength) {
        long start = Math.max(0, file.size() - maxLength);
        return read(file, start, (int) (file.size() - start));
    }

    /** Where this store reads from, safe to log (no credentials). */
    String location();

    /** Request counters, for metrics and benchmarks. */
    StoreStats stats();

    @Override
    void close();
}
