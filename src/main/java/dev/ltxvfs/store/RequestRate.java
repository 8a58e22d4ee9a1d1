package dev.ltxvfs.store;

import java.util.ArrayDeque;

/**
 * LIST and GET requests per minute of one store over a sliding window, from samples of its
 * {@link StoreStats} (taken e.g. at every poll). What an idle database costs is this rate while
 * nothing is written; in Prometheus the same is {@code rate(ltxvfs_store_requests_total[1m]) * 60}.
 */
public final class RequestRate {
    /** Requests per minute, averaged over the window sampled so far. */
    public record PerMinute(double lists, double gets) {
    }

    private final StoreStats stats;
    private final long windowNanos;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {time, lists, gets}

    public RequestRate(StoreStats stats, long windowMillis) {
        this.stats = stats;
        this.windowNanos = windowMillis * 1_000_000;
    }

    /** @param nowNanos {@link System#nanoTime()}: polls can be less than a millisecond apart */
    public synchronized void sample(long nowNanos) {
        samples.addLast(new long[] {nowNanos, stats.lists.sum(), stats.gets.sum()});
        // Keep one sample at or before the window's start, so the window is always covered.
        while (samples.size() > 2) {
            var it = samples.iterator();
            it.next();
            if (it.next()[0] > nowNanos - windowNanos) {
                break;
            }
            samples.removeFirst();
        }
    }

    /** Null until two samples lie apart in time. */
    public synchronized PerMinute perMinute() {
        if (samples.size() < 2) {
            return null;
        }
        long[] first = samples.getFirst();
        long[] last = samples.getLast();
        long span = last[0] - first[0];
        if (span <= 0) {
            return null;
        }
        return new PerMinute((last[1] - first[1]) * 60e9 / span, (last[2] - first[2]) * 60e9 / span);
    }
}
