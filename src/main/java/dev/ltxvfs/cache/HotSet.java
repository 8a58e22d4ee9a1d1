package dev.ltxvfs.cache;

import dev.ltxvfs.index.FrameLocation;
import dev.ltxvfs.index.IndexSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Reads into the cache, before any query asks, the pages every query goes through.
 *
 * <p>{@link #schema}: page 1 and the rest of {@code sqlite_schema}, as the first query would read
 * them (demand reads, with their runs of adjacent frames, which that query then joins): the same
 * GETs, only started as soon as the index is built.
 *
 * <p>{@link #trees}: then the interior pages of every table and index, breadth-first, one parallel
 * batch of coalesced GETs per level. All leaves of a b-tree lie at one depth, and a level is read
 * only once a page of it proved interior: a probe, one child per tree, runs one level ahead in the
 * same batch; so no level of leaves (the data itself) is ever read. Bounded in bytes; queries join
 * its reads (demand claims): each is one small GET already under way.
 */
final class HotSet {
    /** Coalesced GETs of one level: nearby interior pages share a GET, gaps up to this read through. */
    static final int MAX_GAP = 16 * 1024;
    static final int GET_BYTES = 1 << 20;
    /** GETs of one level in flight at once. */
    static final int CONCURRENCY = 32;

    private final PageCache cache;
    private final StoreHandle handle;
    private final IndexSnapshot s;
    private final long waitNanos;
    private final BooleanSupplier stopped;

    HotSet(PageCache cache, StoreHandle handle, IndexSnapshot s, long waitNanos, BooleanSupplier stopped) {
        this.cache = cache;
        this.handle = handle;
        this.s = s;
        this.waitNanos = waitNanos;
        this.stopped = stopped;
    }

    /** Pages of this database's hot set that may be read: 1/8 of the cache. */
    static long budgetBytes(PageCache cache) {
        return cache.maxBytes() / 8;
    }

    /** Reads page 1 and the schema; returns the root pages of the tables and indexes it names. */
    List<Integer> schema() {
        List<Integer> roots = new ArrayList<>();
        List<Integer> level = List.of(1);
        byte[] one = null;
        for (int depth = 0; !level.isEmpty() && depth < 8 && !stopped.getAsBoolean(); depth++) {
            List<CompletableFuture<byte[]>> reads = new ArrayList<>();
            for (int p : level) {
                FrameLocation f = s.frame(p);
                reads.add(f == null ? null : cache.demand(handle, s, f, true));
            }
            List<Integer> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                byte[] page = await(reads.get(i));
                int pgno = level.get(i);
                if (page == null) {
                    continue;
                }
                if (pgno == 1) {
                    one = page;
                }
                if (BtreePage.interior(page, pgno)) {
                    next.addAll(BtreePage.children(page, pgno, s.commit()));
                } else if (one != null) {
                    roots.addAll(BtreePage.schemaRoots(page, pgno, s.pageSize() - (one[20] & 0xff), s.commit()));
                }
            }
            level = next;
        }
        return roots;
    }

    /**
     * Reads the interior pages of the b-trees rooted at {@code roots}, level by level, until the
     * leaves or {@code budgetBytes}; returns how many pages it asked for.
     */
    int trees(List<Integer> roots, long budgetBytes) {
        List<Integer> rootList = new ArrayList<>(new LinkedHashSet<>(roots));
        List<byte[]> rootPages = read(rootList);
        int asked = rootList.size();
        long left = budgetBytes - (long) asked * s.pageSize();
        List<Tree> trees = new ArrayList<>();
        for (int i = 0; i < rootList.size(); i++) {
            Tree t = Tree.of(List.of(rootList.get(i)), rootPages.subList(i, i + 1));
            if (t != null) {
                trees.add(t);
            }
        }
        while (!trees.isEmpty() && left > 0 && !stopped.getAsBoolean()) {
            // One batch for all trees: a tree whose probe proved the level below interior reads
            // that level; every tree reads a probe one level further down.
            List<Integer> batch = new ArrayList<>();
            List<int[]> spans = new ArrayList<>(); // per tree: level from, level to, probe index or -1
            for (Tree t : trees) {
                List<Integer> level = new ArrayList<>();
                if (t.probe != null) {
                    for (int i = 0; i < t.pgnos.size(); i++) {
                        level.addAll(BtreePage.children(t.pages.get(i), t.pgnos.get(i), s.commit()));
                    }
                    level = level.subList(0, (int) Math.min(level.size(), Math.max(0, left / s.pageSize())));
                    left -= (long) level.size() * s.pageSize();
                    if (level.isEmpty()) {
                        spans.add(new int[] {0, 0, -1}); // out of budget
                        continue;
                    }
                }
                byte[] above = t.probe != null ? t.probe : t.pages.getFirst();
                List<Integer> below = BtreePage.children(above, t.probe != null ? t.probePgno : t.pgnos.getFirst(), s.commit());
                int from = batch.size();
                batch.addAll(level);
                int probeAt = -1;
                if (!below.isEmpty() && left > 0) {
                    probeAt = batch.size();
                    batch.add(below.getFirst());
                    left -= s.pageSize();
                }
                spans.add(new int[] {from, from + level.size(), probeAt});
            }
            List<byte[]> pages = read(batch);
            asked += batch.size();
            List<Tree> deeper = new ArrayList<>();
            for (int i = 0; i < trees.size(); i++) {
                int[] span = spans.get(i);
                Tree t = span[1] > span[0] ? Tree.of(batch.subList(span[0], span[1]), pages.subList(span[0], span[1])) : trees.get(i);
                if (t == null || span[2] < 0 || pages.get(span[2]) == null) {
                    continue; // nothing further to read for this tree
                }
                t.probe = pages.get(span[2]);
                t.probePgno = batch.get(span[2]);
                if (BtreePage.interior(t.probe, t.probePgno)) {
                    deeper.add(t); // else the probe is a leaf: the level read is the last interior one
                }
            }
            trees = deeper;
        }
        return asked;
    }

    /** One tree: its deepest level read so far (all interior), and a probe of the level below. */
    private static final class Tree {
        final List<Integer> pgnos;
        final List<byte[]> pages;
        byte[] probe;
        int probePgno;

        private Tree(List<Integer> pgnos, List<byte[]> pages) {
            this.pgnos = pgnos;
            this.pages = pages;
        }

        /** The interior pages among {@code pages} (null where unread), or null if none. */
        static Tree of(List<Integer> pgnos, List<byte[]> pages) {
            List<Integer> p = new ArrayList<>();
            List<byte[]> b = new ArrayList<>();
            for (int i = 0; i < pgnos.size(); i++) {
                if (pages.get(i) != null && BtreePage.interior(pages.get(i), pgnos.get(i))) {
                    p.add(pgnos.get(i));
                    b.add(pages.get(i));
                }
            }
            return p.isEmpty() ? null : new Tree(p, b);
        }
    }

    /**
     * The pages {@code pgnos}, in order (null where one could not be read): those nobody has are
     * claimed and read in coalesced GETs, at most {@link #CONCURRENCY} at once; the others come
     * from the cache or the read already in flight.
     */
    private List<byte[]> read(List<Integer> pgnos) {
        List<FrameLocation> frames = new ArrayList<>();
        for (int p : pgnos) {
            FrameLocation f = s.frame(p);
            if (f != null) {
                frames.add(f);
            }
        }
        List<FrameFetch.Claimed> claimed = cache.claimAll(handle, frames, Claim.Kind.DEMAND);
        Semaphore permits = new Semaphore(CONCURRENCY);
        for (List<FrameFetch.Claimed> range : FrameRanges.of(claimed, GET_BYTES, MAX_GAP)) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            cache.fetch(handle, s.pageSize(), range).whenComplete((v, e) -> permits.release());
        }
        List<byte[]> out = new ArrayList<>(pgnos.size());
        for (int p : pgnos) {
            FrameLocation f = s.frame(p);
            out.add(f == null ? null : await(cache.present(handle, f)));
        }
        return out;
    }

    private byte[] await(CompletableFuture<byte[]> f) {
        if (f == null) {
            return null;
        }
        try {
            return f.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null; // best effort: a query reads it itself
        }
    }
}
