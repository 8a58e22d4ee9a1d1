package dev.ltxvfs.cache;

import dev.ltxvfs.ltx.LtxFrames;
import dev.ltxvfs.store.LtxFileInfo;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One ranged read of adjacent frames of one file, completing the cache futures that claimed
 * them. Each frame is decoded on its own: a corrupt frame fails only its page.
 */
final class FrameFetch {

    /** A frame to fetch: page {@code pgno} lies at {@code offset}, {@code size} bytes long. */
    record Frame(FrameKey key, int pgno, long offset, int size, CompletableFuture<byte[]> future) {
    }

    private final PageCache cache;
    private final StoreHandle store;
    private final LtxFileInfo file;
    private final int pageSize;
    private final List<Frame> frames;

    FrameFetch(PageCache cache, StoreHandle store, LtxFileInfo file, int pageSize, List<Frame> frames) {
        this.cache = cache;
        this.store = store;
        this.file = file;
        this.pageSize = pageSize;
        this.frames = frames;
    }

    void start() {
        long start = frames.getFirst().offset();
        Frame last = frames.getLast();
        int length = (int) (last.offset() + last.size() - start);
        cache.fetches.increment();
        try {
            store.store().read(file, start, length).subscribe().with(
                    bytes -> {
                        cache.fetchedBytes.add(bytes.length);
                        decodeAll(bytes, start);
                    },
                    this::failAll);
        } catch (RuntimeException e) { // a store that throws instead of failing the Uni
            failAll(e);
        }
    }

    private void decodeAll(byte[] bytes, long start) {
        String source = store.store().location() + " " + file;
        for (Frame f : frames) {
            try {
                byte[] page = new byte[pageSize];
                LtxFrames.decodePage(bytes, (int) (f.offset() - start), f.size(), f.pgno(), pageSize, page, 0, source);
                cache.fetched(f.key(), f.future(), page);
            } catch (IOException | RuntimeException e) {
                fail(f, e);
            }
        }
    }

    private void failAll(Throwable e) {
        Throwable cause = e instanceof IOException ? e
                : new IOException("cannot read " + store.store().location() + " " + file + ": " + e, e);
        for (Frame f : frames) {
            fail(f, cause);
        }
    }

    private void fail(Frame f, Throwable e) {
        cache.failed(f.key(), f.future(), e);
    }
}
