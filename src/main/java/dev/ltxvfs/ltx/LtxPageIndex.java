package dev.ltxvfs.ltx;

import java.util.Arrays;

/**
 * The page index of one LTX file: for each page it holds, where its frame starts (absolute file
 * offset) and how long the frame is. Entries ascend by pgno. Stored as three primitive arrays
 * (16 bytes a page) because an index of a large snapshot has millions of entries and lives for as
 * long as the file is in the read plan.
 */
public final class LtxPageIndex {

    private static final LtxPageIndex EMPTY = new LtxPageIndex(new int[0], new long[0], new int[0], 0);

    private final int[] pgnos;
    private final long[] offsets;
    private final int[] sizes;
    private final int size;

    private LtxPageIndex(int[] pgnos, long[] offsets, int[] sizes, int size) {
        this.pgnos = pgnos;
        this.offsets = offsets;
        this.sizes = sizes;
        this.size = size;
    }

    public static LtxPageIndex empty() {
        return EMPTY;
    }

    public int size() {
        return size;
    }

    public int pgno(int i) {
        return pgnos[checkIndex(i)];
    }

    /** Absolute offset of the frame (its page header) in the file. */
    public long offset(int i) {
        return offsets[checkIndex(i)];
    }

    /** Whole frame length: page header, size prefix and compressed payload. */
    public int frameSize(int i) {
        return sizes[checkIndex(i)];
    }

    /** Position of {@code pgno} in this index, or -1 when the file does not hold that page. */
    public int find(int pgno) {
        int i = Arrays.binarySearch(pgnos, 0, size, pgno);
        return i >= 0 ? i : -1;
    }

    /** Highest pgno present, or 0 when empty. */
    public int maxPgno() {
        return size == 0 ? 0 : pgnos[size - 1];
    }

    private int checkIndex(int i) {
        return java.util.Objects.checkIndex(i, size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LtxPageIndex x
                && x.size == size
                && Arrays.equals(pgnos, 0, size, x.pgnos, 0, size)
                && Arrays.equals(offsets, 0, size, x.offsets, 0, size)
                && Arrays.equals(sizes, 0, size, x.sizes, 0, size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + pgnos[i];
            h = 31 * h + Long.hashCode(offsets[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "LtxPageIndex[" + size + " pages" + (size > 0 ? ", " + pgnos[0] + ".." + pgnos[size - 1] : "") + "]";
    }

    /** Collects entries in file order; the caller checks the ordering rules. */
    public static final class Builder {
        private int[] pgnos;
        private long[] offsets;
        private int[] sizes;
        private int size;

        public Builder() {
            this(16);
        }

        /** {@code expected} only sizes the first arrays; they grow as needed. */
        public Builder(int expected) {
            int n = Math.max(4, expected);
            pgnos = new int[n];
            offsets = new long[n];
            sizes = new int[n];
        }

        public Builder add(int pgno, long offset, int frameSize) {
            if (size == pgnos.length) {
                int n = size + (size >> 1) + 1;
                pgnos = Arrays.copyOf(pgnos, n);
                offsets = Arrays.copyOf(offsets, n);
                sizes = Arrays.copyOf(sizes, n);
            }
            pgnos[size] = pgno;
            offsets[size] = offset;
            sizes[size] = frameSize;
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        int pgno(int i) {
            return pgnos[i];
        }

        long offset(int i) {
            return offsets[i];
        }

        int frameSize(int i) {
            return sizes[i];
        }

        public LtxPageIndex build() {
            if (size == 0) {
                return EMPTY;
            }
            // Trim so a long-lived index does not keep the growth slack.
            return new LtxPageIndex(Arrays.copyOf(pgnos, size), Arrays.copyOf(offsets, size),
                    Arrays.copyOf(sizes, size), size);
        }
    }
}
