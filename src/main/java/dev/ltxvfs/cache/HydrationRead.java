package dev.ltxvfs.cache;

import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.store.LtxFileInfo;
import java.util.concurrent.CompletableFuture;

/**
 * One of hydration's GETs, from when it is sent until its frames are decoded: bytes
 * {@code start..end} of one file, which complete {@code body} when they are in. Its frames are not
 * claimed one by one: a demand miss inside its range takes its page from these bytes (or races
 * them), and what hydration decodes goes straight to the cache.
 */
record HydrationRead(int store, LtxFileInfo file, long start, long end, CompletableFuture<FrameFetch.Body> body,
        CompletableFuture<Void> decoded) {

    boolean covers(StoreHandle handle, FrameLocation f) {
        return handle.id() == store && f.offset() >= start && f.end() <= end && f.file().equals(file);
    }
}
