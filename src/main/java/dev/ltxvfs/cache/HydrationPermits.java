package dev.ltxvfs.cache;

import java.util.concurrent.Semaphore;

/**
 * Hydration's GETs of every database on one cache together: those in flight, and those not yet
 * decoded (in flight, or in and waiting for the pass's other downloads, {@link DecodeGate}). The
 * next GET goes out as soon as one is in, so decoding does not hold the downloads back, whose
 * bytes a query can already take. Shared, so that a burst of databases opening (a catalog's tenants
 * after a scale from zero) holds no more bytes than one database's hydration does.
 */
record HydrationPermits(Semaphore sending, Semaphore undecoded) {

    static HydrationPermits of(PageCache cache) {
        int concurrency = concurrency(cache);
        return new HydrationPermits(new Semaphore(concurrency, true), new Semaphore(2 * concurrency, true));
    }

    /**
     * GETs in flight: as many as the readahead budget holds (8 by default, at most 16). On a 2-core
     * machine at 20 ms per request, a 66 MiB database was in the cache 0.66-0.76 s after its index
     * with 8, 0.73-0.86 s with 4 (bench-read-path.sh, hydrate on); decoding, not the network, bounds
     * it there. A query takes its pages from hydration's bytes as soon as they are in, so what it
     * waits for is the downloads, which therefore do not wait for the decoding.
     */
    static int concurrency(PageCache cache) {
        return (int) Math.max(1, Math.min(16, cache.readaheadBudgetBytes() / Hydration.GET_BYTES));
    }
}
