package dev.ltxvfs.cache;

/**
 * Counters of the page cache, for metrics.
 *
 * @param hits page requests served from the cache (including ones joining a fetch in flight)
 * @param misses page requests that started a fetch
 * @param fetches ranged reads issued to stores (one per miss, covering any readahead)
 * @param fetchFailures pages whose fetch or decode failed (nothing is cached for them)
 * @param readaheadPages pages fetched beyond the one asked for
 * @param fetchedBytes bytes read from stores
 * @param evictions entries evicted to stay within the bound
 * @param entries pages held now (approximate)
 * @param bytes weight held now: page bytes plus a fixed per-entry overhead
 * @param maxBytes the bound
 */
public record CacheStats(long hits, long misses, long fetches, long fetchFailures, long readaheadPages,
        long fetchedBytes, long evictions, long entries, long bytes, long maxBytes) {

    public double hitRate() {
        long requests = hits + misses;
        return requests == 0 ? 0 : (double) hits / requests;
    }
}
