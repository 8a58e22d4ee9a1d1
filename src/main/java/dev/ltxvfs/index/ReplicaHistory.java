package dev.ltxvfs.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.store.LtxFileInfo;
import dev.ltxvfs.store.ObjectNotFoundException;
import dev.ltxvfs.store.ReplicaStore;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The restorable moments of one replica, newest first, a page at a time. Which moments exist,
 * whether each is exact and what an inexact one resolves to come from the listings alone
 * ({@link HistoryCalculator}); only the time and database size need a header, so a page reads
 * the headers of its own moments and of the oldest and newest ones, no others. Headers are
 * immutable and cached, so the next look at the same page costs only the listings.
 *
 * <p>Cost of one page of {@code n} moments: one listing of every level ({@link
 * dev.ltxvfs.store.ReplicaStore#listAll}: one LIST for fewer than 1,000 files, about one per 1,000
 * files beyond) and at most {@code n + 2} 100-byte ranged GETs, none for headers read before.
 */
public final class ReplicaHistory {
    public static final int MAX_LIMIT = 1000;
    /** Headers kept (about 200 bytes each with their key). */
    static final int CACHED_HEADERS = 20_000;

    /**
     * One restorable moment.
     *
     * @param time the LTX header time of the transaction: a read at any later time, until the
     *     next moment's, sees this state (or {@code resolvesTo}'s when inexact)
     * @param pageCount the database size after the transaction
     * @param level the level a plan reaches it from (9 for a snapshot); for an inexact moment,
     *     the finest level holding it
     * @param levels every level with a file ending here (a level above 0 marks a compaction boundary)
     * @param resolvesTo the TXID a read at this moment gets: {@code txid} when exact
     */
    public record Moment(long txid, Instant time, int pageCount, int level, List<Integer> levels, boolean exact,
            long resolvesTo) {}

    /**
     * @param moments newest first
     * @param oldest the oldest restorable moment (the retention horizon), null for an empty replica
     * @param newest the newest moment
     * @param total restorable moments in the replica
     * @param next the {@code before} of the next page, or null after the last page
     */
    public record Page(List<Moment> moments, Moment oldest, Moment newest, int total, Long next) {}

    private record Key(int level, long minTxid, long maxTxid) {
        static Key of(LtxFileInfo f) {
            return new Key(f.level(), f.minTxid(), f.maxTxid());
        }
    }

    private final ReplicaStore store;
    private final HeaderTimes reader;
    private final Cache<Key, LtxHeader> headers = Caffeine.newBuilder().maximumSize(CACHED_HEADERS).build();

    public ReplicaHistory(ReplicaStore store) {
        this.store = store;
        this.reader = new HeaderTimes(store);
    }

    /** Headers read from storage so far (cache misses). */
    public long headersRead() {
        return reader.fetched.sum();
    }

    /**
     * The at most {@code limit} newest moments with a TXID below {@code before} (all when
     * {@code before} is {@link Long#MAX_VALUE}).
     */
    public Uni<Page> page(long before, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        // A file may vanish between the listing and its header read (compaction, retention):
        // the next listing no longer shows it.
        return Uni.createFrom().deferred(() -> store.listAll()
                        .onItem().transformToUni(files -> page(HistoryCalculator.moments(files), before, limit)))
                .onFailure(ObjectNotFoundException.class).retry().atMost(2);
    }

    private Uni<Page> page(List<HistoryCalculator.Point> points, long before, int limit) {
        if (points.isEmpty()) {
            return Uni.createFrom().item(new Page(List.of(), null, null, 0, null));
        }
        int end = 0; // points are ascending: those before `before` are [0, end)
        while (end < points.size() && points.get(end).txid() < before) {
            end++;
        }
        int start = Math.max(0, end - limit);
        List<HistoryCalculator.Point> slice = points.subList(start, end).reversed();
        HistoryCalculator.Point oldest = points.getFirst();
        HistoryCalculator.Point newest = points.getLast();
        Set<LtxFileInfo> wanted = new LinkedHashSet<>();
        slice.forEach(p -> wanted.add(p.header()));
        wanted.add(oldest.header());
        wanted.add(newest.header());
        return headers(wanted).onItem().transform(h -> new Page(
                slice.stream().map(p -> moment(p, h)).toList(),
                moment(oldest, h), moment(newest, h), points.size(),
                start > 0 ? slice.getLast().txid() : null));
    }

    private Uni<Map<LtxFileInfo, LtxHeader>> headers(Set<LtxFileInfo> files) {
        Map<LtxFileInfo, LtxHeader> known = new HashMap<>();
        List<LtxFileInfo> missing = new ArrayList<>();
        for (LtxFileInfo f : files) {
            LtxHeader h = headers.getIfPresent(Key.of(f));
            if (h != null) {
                known.put(f, h);
            } else {
                missing.add(f);
            }
        }
        return reader.headers(missing).onItem().transform(read -> {
            read.forEach((f, h) -> headers.put(Key.of(f), h));
            known.putAll(read);
            return known;
        });
    }

    private static Moment moment(HistoryCalculator.Point p, Map<LtxFileInfo, LtxHeader> headers) {
        LtxHeader h = headers.get(p.header());
        return new Moment(p.txid(), Instant.ofEpochMilli(h.timestamp()), h.commit(), p.via().level(), p.levels(),
                p.exact(), p.resolvesTo());
    }
}
