package dev.ltxvfs.cache;

import java.util.concurrent.CompletableFuture;

/**
 * A page being fetched: the future its readers wait on, and why it is fetched. Demand and
 * readahead claims stand in the cache's map of fetches in flight, so readers join them; a
 * hydration claim does not (its whole GET stands in for its frames, {@link HydrationRead}): it
 * only tells hydration how its frame went.
 */
final class Claim extends CompletableFuture<byte[]> {

    enum Kind { DEMAND, READAHEAD, HYDRATION }

    final Kind kind;

    Claim(Kind kind) {
        this.kind = kind;
    }
}
