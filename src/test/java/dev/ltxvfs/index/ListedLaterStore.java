package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ForwardingStore;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A real store whose listings show each file's time as a function of the file, the way a bucket
 * Litestream uploads to shows upload times (LastModified) instead of header times: level 0 a
 * moment after its header time, compactions up to their interval later. Reads go through as is.
 */
public final class ListedLaterStore extends ForwardingStore {
    private final Function<LtxFileInfo, Duration> delay;

    public ListedLaterStore(ReplicaStore delegate, Function<LtxFileInfo, Duration> delay) {
        super(delegate);
        this.delay = delay;
    }

    @Override
    public Uni<List<LtxFileInfo>> listAll() {
        return delegate.listAll().onItem().transform(this::listedLater);
    }

    @Override
    public Uni<List<LtxFileInfo>> list(int level, long minTxidAtLeast) {
        return delegate.list(level, minTxidAtLeast).onItem().transform(this::listedLater);
    }

    private List<LtxFileInfo> listedLater(List<LtxFileInfo> files) {
        return files.stream()
                .map(f -> new LtxFileInfo(f.level(), f.minTxid(), f.maxTxid(), f.size(),
                        f.createdAt().plus(delay.apply(f))))
                .toList();
    }
}
