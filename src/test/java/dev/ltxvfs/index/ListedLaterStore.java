package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.StoreStats;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A real store whose listings show each file's time as a function of the file, the way a bucket
 * Litestream uploads to shows upload times (LastModified) instead of header times: level 0 a
 * moment after its header time, compactions up to their interval later. Reads go through as is.
 */
public final class ListedLaterStore implements ReplicaStore {
    private final ReplicaStore delegate;
    private final Function<LtxFileInfo, Duration> delay;

    public ListedLaterStore(ReplicaStore delegate, Function<LtxFileInfo, Duration> delay) {
        this.delegate = delegate;
        this.delay = delay;
    }

    @Override
    public Uni<List<LtxFileInfo>> list(int level, long minTxidAtLeast) {
        return delegate.list(level, minTxidAtLeast).onItem().transform(files -> files.stream()
                .map(f -> new LtxFileInfo(f.level(), f.minTxid(), f.maxTxid(), f.size(),
                        f.createdAt().plus(delay.apply(f))))
                .toList());
    }

    @Override
    public Uni<byte[]> read(LtxFileInfo file, long offset, int length) {
        return delegate.read(file, offset, length);
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public StoreStats stats() {
        return delegate.stats();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
