package dev.ltxvfs.index;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * An immutable map pgno -> (file id, frame offset, frame size), plus the page size and the
 * database size in pages (commit). Lookups are O(1) and allocate nothing: they run on every
 * page read.
 *
 * <p>Layout: chunks of {@value #CHUNK} pages, each one {@code long[2 * CHUNK]} holding per page
 * the frame offset and a meta word {@code (fileId + 1) << 32 | frameSize} (0 = absent). That is
 * 16 bytes a page and one object per 1024 pages; a 1 GiB database of 4 KiB pages takes about
 * 4 MiB. Versions share chunks: an {@link Editor} copies the top array and only the chunks it
 * writes, so publishing a change costs O(pages changed + pages / 1024), not O(pages).
 *
 * <p>Pages above {@link #commit()} are never visible, whatever the chunks hold.
 */
public final class PageIndex {

    static final int CHUNK_BITS = 10;
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int MASK = CHUNK - 1;
    private static final long[][] NO_CHUNKS = new long[0][];

    private final long[][] chunks;
    private final int pageSize;
    private final int commit;
    private final int count;

    private PageIndex(long[][] chunks, int pageSize, int commit, int count) {
        this.chunks = chunks;
        this.pageSize = pageSize;
        this.commit = commit;
        this.count = count;
    }

    public static PageIndex empty(int pageSize) {
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two in 512..65536, got " + pageSize);
        }
        return new PageIndex(NO_CHUNKS, pageSize, 0, 0);
    }

    public int pageSize() {
        return pageSize;
    }

    /** Database size in pages. */
    public int commit() {
        return commit;
    }

    /** Number of pages present. */
    public int count() {
        return count;
    }

    public boolean contains(int pgno) {
        return meta(pgno) != 0;
    }

    /** The file id holding {@code pgno}, or -1 if absent. */
    public int fileId(int pgno) {
        return (int) (meta(pgno) >>> 32) - 1;
    }

    /** Byte offset of the page's frame in its file, or -1 if absent. */
    public long offset(int pgno) {
        long[] c = chunk(pgno);
        int s = (pgno & MASK) << 1;
        return c == null || c[s + 1] == 0 ? -1 : c[s];
    }

    /** Length of the page's frame in bytes, or 0 if absent. */
    public int frameSize(int pgno) {
        return (int) meta(pgno);
    }

    private long meta(int pgno) {
        long[] c = chunk(pgno);
        return c == null ? 0 : c[((pgno & MASK) << 1) + 1];
    }

    private long[] chunk(int pgno) {
        int ci = pgno >>> CHUNK_BITS;
        return pgno <= 0 || pgno > commit || ci >= chunks.length ? null : chunks[ci];
    }

    /**
     * Heap bytes this version references (shared chunks counted in full), from array sizes:
     * 16-byte object headers, 8-byte references.
     */
    public long estimatedBytes() {
        long bytes = 16 + 16 + 8L * chunks.length; // this object, top array header + refs
        for (long[] c : chunks) {
            if (c != null) {
                bytes += 16 + 8L * c.length;
            }
        }
        return bytes;
    }

    /** How many chunks this version shares (same array) with {@code other}: for tests of copy-on-write. */
    int chunksSharedWith(PageIndex other) {
        int shared = 0;
        for (int i = 0; i < Math.min(chunks.length, other.chunks.length); i++) {
            shared += chunks[i] != null && chunks[i] == other.chunks[i] ? 1 : 0;
        }
        return shared;
    }

    int chunkCount() {
        int n = 0;
        for (long[] c : chunks) {
            n += c != null ? 1 : 0;
        }
        return n;
    }

    public Editor edit() {
        return new Editor(this);
    }

    /**
     * A private, mutable draft of the next version. Not thread-safe; the version it came from
     * stays untouched. Chunks are copied on first write, so a batch copies each touched chunk once.
     */
    public static final class Editor {
        private long[][] chunks;
        private boolean[] owned;
        private final int pageSize;
        private int commit;
        private int count;
        private int highest; // highest pgno possibly stored

        private Editor(PageIndex base) {
            this.chunks = base.chunks.clone();
            this.owned = new boolean[chunks.length];
            this.pageSize = base.pageSize;
            this.commit = base.commit;
            this.count = base.count;
            this.highest = base.commit;
        }

        /**
         * Points {@code pgno} at a frame. A page above the commit may be put while a batch is
         * under way, but {@link #truncate} must then cover or drop it before {@link #build}.
         *
         * @return the file id that held the page before, or -1
         */
        public int put(int pgno, int fileId, long offset, int frameSize) {
            if (pgno <= 0) {
                throw new IllegalArgumentException("pgno must be >= 1, got " + pgno);
            }
            if (fileId < 0 || frameSize <= 0 || offset < 0) {
                throw new IllegalArgumentException("bad frame for page " + pgno + ": file " + fileId
                        + " offset " + offset + " size " + frameSize);
            }
            long[] c = writable(pgno >>> CHUNK_BITS);
            int s = (pgno & MASK) << 1;
            long old = c[s + 1];
            c[s] = offset;
            c[s + 1] = ((long) (fileId + 1) << 32) | frameSize;
            if (old == 0) {
                count++;
            }
            highest = Math.max(highest, pgno);
            return (int) (old >>> 32) - 1;
        }

        /**
         * Sets the database size to {@code newCommit} pages, dropping every page above it.
         * Costs O(pages dropped).
         *
         * @param dropped told the file id of every page dropped
         */
        public void truncate(int newCommit, IntConsumer dropped) {
            if (newCommit < 0) {
                throw new IllegalArgumentException("commit must be >= 0, got " + newCommit);
            }
            int keepChunks = (newCommit >>> CHUNK_BITS) + 1;
            for (int ci = chunks.length - 1; ci >= 0 && ci >= keepChunks - 1; ci--) {
                long[] c = chunks[ci];
                if (c == null) {
                    continue;
                }
                int first = ci == keepChunks - 1 ? (newCommit & MASK) + 1 : 0;
                boolean any = false;
                for (int s = first; s < CHUNK && !any; s++) {
                    any = c[(s << 1) + 1] != 0;
                }
                if (!any) {
                    continue;
                }
                c = writable(ci);
                for (int s = first; s < CHUNK; s++) {
                    long meta = c[(s << 1) + 1];
                    if (meta != 0) {
                        dropped.accept((int) (meta >>> 32) - 1);
                        c[s << 1] = 0;
                        c[(s << 1) + 1] = 0;
                        count--;
                    }
                }
            }
            if (chunks.length > keepChunks) {
                chunks = Arrays.copyOf(chunks, keepChunks);
                owned = Arrays.copyOf(owned, keepChunks);
            }
            commit = newCommit;
            highest = Math.min(highest, newCommit);
        }

        public int commit() {
            return commit;
        }

        public PageIndex build() {
            if (highest > commit) {
                throw new IllegalStateException("page " + highest + " lies above commit " + commit
                        + ": truncate before build");
            }
            // The new version owns the arrays now; the draft is spent.
            PageIndex built = new PageIndex(chunks, pageSize, commit, count);
            chunks = null;
            owned = null;
            return built;
        }

        private long[] writable(int ci) {
            if (ci >= chunks.length) {
                int n = Math.max(ci + 1, chunks.length + (chunks.length >> 1));
                chunks = Arrays.copyOf(chunks, n);
                owned = Arrays.copyOf(owned, n);
            }
            long[] c = chunks[ci];
            if (!owned[ci]) {
                c = c == null ? new long[2 * CHUNK] : c.clone();
                chunks[ci] = c;
                owned[ci] = true;
            }
            return c;
        }
    }
}
