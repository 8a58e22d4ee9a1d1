package dev.ltxvfs.cache;

import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.ltx.LtxFrames;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One ranged read of frames of one file, in offset order (gaps between them are read and
 * skipped), each frame decoded on its own: a corrupt frame fails only its page. Every frame's
 * outcome goes to one callback; the returned future completes when the read is over.
 */
final class FrameFetch {

    /** A frame this fetch must deliver, with the future its readers wait on. */
    record Claimed(FrameKey key, FrameLocation frame, Claim future) {
    }

    /** Told the outcome of every frame: its page, or why not (then {@code page} is null). */
    interface Settle {
        void settle(Claimed frame, byte[] page, Throwable failure);
    }

    private FrameFetch() {}

    /** Bytes one read of {@code frames} (same file, offset order) covers. */
    static long span(List<Claimed> frames) {
        return frames.getLast().frame().end() - frames.getFirst().frame().offset();
    }

    static CompletableFuture<Void> start(ReplicaStore store, int pageSize, List<Claimed> frames, Settle settle) {
        LtxFileInfo file = frames.getFirst().frame().file();
        long start = frames.getFirst().frame().offset();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            store.read(file, start, (int) span(frames)).subscribe().with(
                    bytes -> {
                        decodeAll(store, file, pageSize, frames, bytes, start, settle);
                        done.complete(null);
                    },
                    e -> {
                        failAll(store, file, frames, e, settle);
                        done.complete(null);
                    });
        } catch (RuntimeException e) { // a store that throws instead of failing the Uni
            failAll(store, file, frames, e, settle);
            done.complete(null);
        }
        return done;
    }

    private static void decodeAll(ReplicaStore store, LtxFileInfo file, int pageSize, List<Claimed> frames, byte[] bytes,
            long start, Settle settle) {
        String source = store.location() + " " + file;
        for (Claimed c : frames) {
            FrameLocation f = c.frame();
            byte[] page = new byte[pageSize];
            try {
                LtxFrames.decodePage(bytes, (int) (f.offset() - start), f.size(), f.pgno(), pageSize, page, 0, source);
            } catch (IOException | RuntimeException e) {
                settle.settle(c, null, e);
                continue;
            }
            settle.settle(c, page, null);
        }
    }

    private static void failAll(ReplicaStore store, LtxFileInfo file, List<Claimed> frames, Throwable e, Settle settle) {
        Throwable cause = e instanceof IOException ? e
                : new IOException("cannot read " + store.location() + " " + file + ": " + e, e);
        for (Claimed c : frames) {
            settle.settle(c, null, cause);
        }
    }
}
