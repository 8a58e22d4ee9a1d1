package dev.ltxvfs.cache;

import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.ltx.LtxFrames;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ReplicaStore;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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

    /** The bytes of one read, from file offset {@code start}: any of its frames can be decoded from it. */
    record Body(byte[] bytes, long start, int pageSize, String source) {
        byte[] decode(FrameLocation f) throws IOException {
            byte[] page = new byte[pageSize];
            LtxFrames.decodePage(bytes, (int) (f.offset() - start), f.size(), f.pgno(), pageSize, page, 0, source);
            return page;
        }
    }

    /**
     * Reads {@code frames} and decodes them on {@code decodeOn}; {@code arrived} completes with the
     * read's bytes as soon as they are in (readers racing it decode their page from them). A frame
     * whose claim is settled by then (such a reader decoded it first) is skipped.
     */
    static CompletableFuture<Void> start(ReplicaStore store, int pageSize, List<Claimed> frames, Settle settle,
            Executor decodeOn, CompletableFuture<Body> arrived) {
        LtxFileInfo file = frames.getFirst().frame().file();
        long start = frames.getFirst().frame().offset();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            store.read(file, start, (int) span(frames)).subscribe().with(
                    bytes -> {
                        Body body = new Body(bytes, start, pageSize, store.location() + " " + file);
                        arrived.complete(body); // readers racing this read take their pages first
                        run(decodeOn, () -> {
                            try {
                                decodeAll(frames, body, settle);
                            } finally {
                                done.complete(null); // hydration's shared permits come back with it
                            }
                        });
                    },
                    e -> {
                        arrived.completeExceptionally(e);
                        failAll(store, file, frames, e, settle);
                        done.complete(null);
                    });
        } catch (RuntimeException e) { // a store that throws instead of failing the Uni
            arrived.completeExceptionally(e);
            failAll(store, file, frames, e, settle);
            done.complete(null);
        }
        return done;
    }

    /** On {@code executor}, or here when it takes no more work (it is shut down): a claim must always settle. */
    private static void run(Executor executor, Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private static void decodeAll(List<Claimed> frames, Body body, Settle settle) {
        for (Claimed c : frames) {
            if (c.future().isDone()) {
                continue; // a reader decoded it from these bytes first
            }
            byte[] page;
            try {
                page = body.decode(c.frame());
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
