package dev.ltxvfs.cache;

import dev.ltxvfs.index.FrameLocation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PageCache}'s fetches in flight. Demand and readahead reads claim their frames here
 * before they are sent, so concurrent misses on one frame wait for the same single read, and a
 * failed fetch simply leaves the map: nothing failed is ever cached, the next request retries.
 * (Caffeine's async loading would coalesce too, but it logs a stack trace for every failed load.)
 * Hydration's GETs stand here whole, one entry per GET ({@link HydrationRead}), and pages read
 * ahead wait here, unread, until a reader takes them.
 */
final class InFlight {
    /** The cache's pages, looked at around a claim: a page is cached, or claimed, or neither. */
    private final Map<FrameKey, byte[]> cached;
    private final ConcurrentHashMap<FrameKey, Claim> claims = new ConcurrentHashMap<>(PageCache.PRESIZED_ENTRIES);
    /** Hydration's GETs sent and not yet decoded, of every database: a few dozen at most. */
    private final CopyOnWriteArrayList<HydrationRead> hydrating = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<FrameFetch.Claimed> staged = new ConcurrentLinkedQueue<>();
    private final AtomicLong stagedCount = new AtomicLong();

    InFlight(Map<FrameKey, byte[]> cached) {
        this.cached = cached;
    }

    /**
     * Makes {@code mine} the fetch of {@code key}: returns {@code mine}, or the claim already in
     * flight, or null when the page is cached.
     */
    Claim claim(FrameKey key, Claim mine) {
        if (cached.containsKey(key)) {
            return null;
        }
        Claim other = claims.putIfAbsent(key, mine);
        if (other != null) {
            return other;
        }
        // A fetch may have finished between the look in the cache and the claim.
        if (cached.containsKey(key)) {
            claims.remove(key, mine);
            return null;
        }
        return mine;
    }

    /** The claim of {@code key}, or null. */
    Claim get(FrameKey key) {
        return claims.get(key);
    }

    /** Ends {@code claim} of {@code key}; false if it had ended already. */
    boolean end(FrameKey key, Claim claim) {
        return claims.remove(key, claim);
    }

    /**
     * Keeps a page fetched ahead in its completed claim until it is read, the newest {@code keep}
     * at most; older ones unread are dropped.
     */
    void stage(FrameFetch.Claimed c, long keep) {
        staged.add(c);
        if (stagedCount.incrementAndGet() > keep) {
            FrameFetch.Claimed old = staged.poll();
            if (old != null) {
                stagedCount.decrementAndGet();
                claims.remove(old.key(), old.future()); // unread: dropped (a no-op when already read)
            }
        }
    }

    void add(HydrationRead read) {
        hydrating.add(read);
    }

    void remove(HydrationRead read) {
        hydrating.remove(read);
    }

    /** The hydration GET in flight whose bytes hold {@code frame}, if any. */
    HydrationRead hydrating(StoreHandle store, FrameLocation frame) {
        for (HydrationRead r : hydrating) {
            if (r.covers(store, frame)) {
                return r;
            }
        }
        return null;
    }
}
