package dev.ltxvfs.cache;

import dev.ltxvfs.index.IndexSnapshot;

/**
 * Sequential-read detection for one reader (a connection), with a growing readahead window.
 *
 * <p>A few slots each follow one run of ascending page numbers, so a b-tree scan that visits an
 * interior page now and then, or two cursors reading side by side, keep their runs. A read
 * continues a slot's run when it lands just after the slot's last page or inside what the slot
 * already fetched ahead. After {@link #SEQUENTIAL_READS} reads in a run, readahead starts with
 * one window of {@link PageCache#DEMAND_RUN_BYTES}; each time the reader has less than one and a
 * half windows left ahead of it, the next window is issued at twice the size, up to the cap. So
 * a short range scan costs a few small reads, and a full scan keeps two or three large windows in
 * flight (the database's byte budget permitting).
 *
 * <p>A connection whose runs have only hit the cache (a warm one) is not followed at all: its
 * reads skip the tracker, so a warm read costs what it did before readahead. A run is followed
 * from its first miss; from then on its hits keep the windows ahead too.
 *
 * <p>Not thread-safe: SQLite drives a connection from one thread at a time.
 */
public final class ReadStream {

    /** Reads in a run before readahead starts: a point lookup never triggers it. */
    static final int SEQUENTIAL_READS = 4;
    /** Pages a read may skip and still continue a run (pages of other b-trees in between). */
    static final int MAX_SKIP = 16;
    private static final int SLOTS = 4;

    /** Issues the pages {@code from..from+count-1} of {@code snapshot} ahead; false when the budget refuses. */
    interface Issuer {
        boolean issue(IndexSnapshot snapshot, int from, int count);
    }

    private final Issuer issuer;
    private final int firstWindowBytes;
    private final int maxWindowBytes;
    private final int[] last = new int[SLOTS];
    private final int[] run = new int[SLOTS];
    private final int[] issuedTo = new int[SLOTS];
    private final int[] window = new int[SLOTS]; // pages of the last window issued
    private final long[] used = new long[SLOTS];
    private final boolean[] missed = new boolean[SLOTS];
    private int missedRuns; // slots whose run has missed
    private long clock;

    ReadStream(Issuer issuer, int firstWindowBytes, int maxWindowBytes) {
        this.issuer = issuer;
        this.firstWindowBytes = firstWindowBytes;
        this.maxWindowBytes = maxWindowBytes;
    }

    /**
     * Whether a hit must be noted: some run has missed, and its hits keep its windows ahead.
     * While none has, hits skip the tracker (a run then starts at its first miss).
     */
    boolean following() {
        return missedRuns > 0;
    }

    /**
     * Notes a read of {@code pgno} of {@code snapshot} and issues the next window when due. A run
     * that has only ever hit the cache issues nothing; from its first miss on, every read of it
     * keeps the windows ahead.
     *
     * @param hit whether the cache answered this read
     * @return whether the read continues a sequential run
     */
    boolean onRead(IndexSnapshot snapshot, int pgno, boolean hit) {
        int i = slotOf(pgno);
        used[i] = ++clock;
        run[i]++;
        last[i] = pgno;
        if (!hit && !missed[i]) {
            missed[i] = true;
            missedRuns++;
        }
        if (run[i] < SEQUENTIAL_READS) {
            return false;
        }
        if (maxWindowBytes == 0 || !missed[i]) {
            return true;
        }
        int ahead = issuedTo[i] - pgno;
        if (window[i] > 0 && ahead * 2 >= window[i] * 3) {
            return true; // one and a half windows still ahead
        }
        int pageSize = snapshot.pageSize();
        int maxPages = Math.max(1, maxWindowBytes / pageSize);
        int next = window[i] == 0 ? Math.max(1, Math.min(firstWindowBytes, maxWindowBytes) / pageSize)
                : Math.min(window[i] * 2, maxPages);
        int from = Math.max(issuedTo[i], pgno) + 1;
        if (issuer.issue(snapshot, from, next)) {
            issuedTo[i] = from + next - 1;
            window[i] = next;
        }
        return true;
    }

    /** The slot whose run {@code pgno} continues, else the least recently used one, where a new run starts. */
    private int slotOf(int pgno) {
        int lru = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (run[i] > 0 && pgno > last[i] && (pgno <= last[i] + MAX_SKIP || pgno <= issuedTo[i])) {
                return i;
            }
            if (used[i] < used[lru]) {
                lru = i;
            }
        }
        last[lru] = pgno - 1; // the read below continues this fresh run
        run[lru] = 0;
        if (missed[lru]) {
            missed[lru] = false;
            missedRuns--;
        }
        issuedTo[lru] = 0;
        window[lru] = 0;
        return lru;
    }
}
