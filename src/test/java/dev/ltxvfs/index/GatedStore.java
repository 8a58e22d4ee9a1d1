package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import dev.ltxvfs.store.StoreStats;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store whose reads wait until the test opens the gate: lets a test hold fetches in
 * flight without sleeping. Counts the reads it was asked for.
 */
public final class GatedStore implements ReplicaStore {

    private final ReplicaStore delegate;
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    public final AtomicInteger reads = new AtomicInteger();

    public GatedStore(ReplicaStore delegate) {
        this.delegate = delegate;
    }

    public void open() {
        gate.complete(null);
    }

    @Override
    public Uni<List<LtxFileInfo>> list(int level, long minTxidAtLeast) {
        return delegate.list(level, minTxidAtLeast);
    }

    @Override
    public Uni<byte[]> read(LtxFileInfo file, long offset, int length) {
        reads.incrementAndGet();
        return Uni.createFrom().completionStage(gate).chain(() -> delegate.read(file, offset, length));
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
