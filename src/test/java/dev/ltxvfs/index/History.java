package dev.ltxvfs.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * A made-up database history for tests: transaction t writes some pages, and sometimes grows
 * (writing every new page, as SQLite and Litestream do) or shrinks the database. Knows, for
 * every TXID, which version of each page is current, so tests can say what a restore must see.
 * A page's version is the TXID that last wrote it.
 */
public final class History {

    private final List<Map<Integer, Long>> states = new ArrayList<>(); // index t: after txid t
    private final List<Integer> commits = new ArrayList<>();
    private final List<TreeSet<Integer>> changed = new ArrayList<>();

    /** {@code txids} transactions; TXID 1 creates {@code initialPages} pages. */
    public History(long seed, int txids, int initialPages) {
        Random rnd = new Random(seed);
        states.add(Map.of());
        commits.add(0);
        changed.add(new TreeSet<>());
        for (long t = 1; t <= txids; t++) {
            Map<Integer, Long> state = new HashMap<>(states.getLast());
            int commit = commits.getLast();
            TreeSet<Integer> wrote = new TreeSet<>();
            int newCommit = t == 1 ? initialPages : switch (rnd.nextInt(8)) {
                case 0 -> Math.max(1, commit - 1 - rnd.nextInt(Math.max(1, commit / 4))); // shrink
                case 1, 2 -> commit + 1 + rnd.nextInt(20); // grow
                default -> commit;
            };
            for (int p = commit + 1; p <= newCommit; p++) {
                wrote.add(p);
            }
            final int nc = newCommit;
            state.keySet().removeIf(p -> p > nc);
            int writes = rnd.nextInt(6);
            for (int i = 0; i < writes; i++) {
                wrote.add(1 + rnd.nextInt(newCommit));
            }
            wrote.add(1); // every commit changes the header page
            for (int p : wrote) {
                state.put(p, t);
            }
            states.add(state);
            commits.add(newCommit);
            changed.add(wrote);
        }
    }

    public long lastTxid() {
        return states.size() - 1;
    }

    public int commitAt(long txid) {
        return commits.get((int) txid);
    }

    /** pgno -> version (TXID that wrote it) after {@code txid}. */
    public Map<Integer, Long> stateAt(long txid) {
        return states.get((int) txid);
    }

    /**
     * What a file covering TXIDs {@code min..max} holds: pages written in that range and still
     * inside the database at {@code max}, with their version at {@code max}.
     */
    public Map<Integer, Long> changes(long min, long max) {
        TreeSet<Integer> pages = new TreeSet<>();
        for (long t = min; t <= max; t++) {
            pages.addAll(changed.get((int) t));
        }
        Map<Integer, Long> out = new HashMap<>();
        for (int p : pages) {
            if (p <= commitAt(max)) {
                out.put(p, stateAt(max).get(p));
            }
        }
        return out;
    }
}
