package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ForwardingStore;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store whose reads wait until the test opens the gate: lets a test hold fetches in
 * flight without sleeping. Counts the reads it was asked for.
 */
public final class GatedStore extends ForwardingStore {

    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    public final AtomicInteger reads = new AtomicInteger();

    public GatedStore(ReplicaStore delegate) {
        super(delegate);
    }

    public void open() {
        gate.complete(null);
    }

    @Override
    public Uni<byte[]> read(LtxFileInfo file, long offset, int length) {
        reads.incrementAndGet();
        return Uni.createFrom().completionStage(gate).chain(() -> delegate.read(file, offset, length));
    }
}
