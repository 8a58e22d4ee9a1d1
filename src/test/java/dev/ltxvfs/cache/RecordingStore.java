package dev.ltxvfs.cache;

import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ForwardingStore;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

/**
 * A real store that records the length of every read, and holds the reads a test picks (by
 * length) until it releases them: bytes held now and at most are counted, so a test sees what
 * is in flight without sleeping.
 */
final class RecordingStore extends ForwardingStore {
    final List<Integer> reads = new CopyOnWriteArrayList<>();
    /** The file of each read, in the order of {@link #reads}. */
    final List<LtxFileInfo> files = new CopyOnWriteArrayList<>();
    final AtomicLong heldBytes = new AtomicLong();
    final AtomicLong maxHeldBytes = new AtomicLong();
    private volatile IntPredicate hold = length -> false;
    private final List<Held> held = new CopyOnWriteArrayList<>();

    private record Held(int length, CompletableFuture<Void> gate) {
    }

    RecordingStore(ReplicaStore delegate) {
        super(delegate);
    }

    /** From now on, reads whose length passes {@code which} wait for {@link #release}; those held stay held. */
    void hold(IntPredicate which) {
        hold = which;
    }

    /** Lets every held read go, and stops holding. */
    void release() {
        hold = length -> false;
        release(length -> true);
    }

    /** Lets the held reads whose length passes {@code which} go. */
    void release(IntPredicate which) {
        for (Held h : held) {
            if (which.test(h.length) && held.remove(h)) {
                h.gate.complete(null);
            }
        }
    }

    @Override
    public Uni<byte[]> read(LtxFileInfo file, long offset, int length) {
        files.add(file);
        reads.add(length);
        if (!hold.test(length)) {
            return delegate.read(file, offset, length);
        }
        Held h = new Held(length, new CompletableFuture<>());
        held.add(h);
        maxHeldBytes.accumulateAndGet(heldBytes.addAndGet(length), Math::max);
        return Uni.createFrom().completionStage(h.gate)
                .invoke(() -> heldBytes.addAndGet(-length))
                .chain(() -> delegate.read(file, offset, length));
    }
}
