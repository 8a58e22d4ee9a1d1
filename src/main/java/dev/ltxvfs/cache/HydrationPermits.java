package dev.ltxvfs.cache;

import java.util.concurrent.Semaphore;

/**
 * Hydration's bytes of every database on one cache together, counted in KiB, each GET's from when
 * it is sent until it is decoded (in flight, or in and waiting for the pass's other downloads,
 * {@link DecodeGate}). Shared, so that a burst of databases opening (a catalog's tenants after a
 * scale from zero) holds no more bytes than one database's hydration does.
 */
final class HydrationPermits {
    private HydrationPermits() {}

    static Semaphore of(PageCache cache) {
        return new Semaphore(kib(cache), true);
    }

    /**
     * Half the cache (the most a database hydrated by {@code auto} takes of it), at least one GET's
     * worth, at most 16 GETs'. What a query right after open waits for is the downloads, all the more
     * when they come in several waves: on a 2-core machine at 20 ms per request, an index lookup
     * 0.24 s after ready with 64 MiB in flight (the 66 MiB database's 51 MiB in one wave of 8 MiB
     * GETs), 0.34 s with 32 MiB in 4 or 8 MiB GETs (bench-read-path.sh, hydrate on).
     */
    static int kib(PageCache cache) {
        return (int) (Math.max(Hydration.GET_BYTES, Math.min(16L * Hydration.GET_BYTES, cache.maxBytes() / 2)) >> 10);
    }
}
