package dev.ltxvfs.store;

import io.smallrye.mutiny.Uni;
import java.util.List;

/** A real store passed through as is; test stores extend it and change only what they test. */
public abstract class ForwardingStore implements ReplicaStore {
    protected final ReplicaStore delegate;

    protected ForwardingStore(ReplicaStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Uni<List<LtxFileInfo>> listAll() {
        return delegate.listAll();
    }

    @Override
    public Uni<List<LtxFileInfo>> list(int level, long minTxidAtLeast) {
        return delegate.list(level, minTxidAtLeast);
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
