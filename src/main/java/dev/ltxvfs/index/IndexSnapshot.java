package dev.ltxvfs.index;

import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.store.LtxFileInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One state of the database as a reader pins it: which frame holds each page, the page size,
 * the database size in pages, the TXID and the time of that state. Immutable; newer states are
 * new values ({@link #apply}), so a read transaction keeps a consistent view for free.
 */
public final class IndexSnapshot {

    private final PageIndex pages;
    private final FileTable files;
    private final long txid;
    private final Instant timestamp;
    private final RestorePlan plan;

    private IndexSnapshot(PageIndex pages, FileTable files, long txid, Instant timestamp, RestorePlan plan) {
        this.pages = pages;
        this.files = files;
        this.txid = txid;
        this.timestamp = timestamp;
        this.plan = plan;
    }

    /**
     * Composes the indexes of a plan's files, given in plan order: later files win per page, and
     * the last file's header (required) gives page size, commit and time.
     */
    public static IndexSnapshot compose(RestorePlan plan, List<FileIndex> inPlanOrder) {
        if (inPlanOrder.size() != plan.size()) {
            throw new IllegalArgumentException("plan has " + plan.size() + " files, got " + inPlanOrder.size() + " indexes");
        }
        FileIndex last = inPlanOrder.getLast();
        if (!last.hasHeader()) {
            throw new IllegalArgumentException("the header of the last plan file " + last.file() + " is required");
        }
        LtxHeader h = last.header();
        FileTable table = new FileTable();
        PageIndex.Editor e = PageIndex.empty(h.pageSize()).edit();
        for (int i = 0; i < inPlanOrder.size(); i++) {
            FileIndex fi = inPlanOrder.get(i);
            if (!fi.file().equals(plan.files().get(i))) {
                throw new IllegalArgumentException("index " + i + " is of " + fi.file() + ", plan says " + plan.files().get(i));
            }
            putAll(e, table, fi);
        }
        // Only the last commit matters: a file that grows the database carries every page
        // between the old and the new size, so pages left above it are stale.
        e.truncate(h.commit(), table::lost);
        table.sweep();
        return new IndexSnapshot(e.build(), table, last.file().maxTxid(), Instant.ofEpochMilli(h.timestamp()), plan);
    }

    /**
     * This state advanced by {@code newer} files (e.g. level-0 files found by polling), each with
     * its header, in TXID order. Costs O(pages they hold + pages dropped + pages / 1024). A file
     * that shrinks the database drops only the pages above its commit; the rest stay.
     *
     * @throws TxidGapException if a file does not continue the TXID chain
     * @throws IllegalArgumentException if a header is missing or changes the page size (which
     *     needs a fresh restore plan)
     */
    public IndexSnapshot apply(List<FileIndex> newer) throws TxidGapException {
        if (newer.isEmpty()) {
            return this;
        }
        FileTable table = files.copy();
        PageIndex.Editor e = pages.edit();
        long at = txid;
        Instant time = timestamp;
        for (FileIndex fi : newer) {
            LtxFileInfo f = fi.file();
            if (f.minTxid() > at + 1 || f.maxTxid() <= at) {
                if (f.minTxid() > at + 1) {
                    throw new TxidGapException("update " + f, at, f.minTxid());
                }
                throw new IllegalArgumentException(f + " adds nothing after TXID " + Long.toHexString(at));
            }
            LtxHeader h = fi.header();
            if (h == null) {
                throw new IllegalArgumentException("applying " + f + " needs its header");
            }
            if (h.pageSize() != pages.pageSize()) {
                throw new IllegalArgumentException(f + " has page size " + h.pageSize() + ", the index "
                        + pages.pageSize() + ": a page-size change needs a new restore plan");
            }
            putAll(e, table, fi);
            e.truncate(h.commit(), table::lost); // also drops pages the file holds above it
            at = f.maxTxid();
            time = Instant.ofEpochMilli(h.timestamp());
        }
        table.sweep();
        return new IndexSnapshot(e.build(), table, at, time, plan);
    }

    private static void putAll(PageIndex.Editor e, FileTable table, FileIndex fi) {
        int id = table.add(fi.file());
        var idx = fi.pages();
        for (int i = 0; i < idx.size(); i++) {
            table.lost(e.put(idx.pgno(i), id, idx.offset(i), idx.frameSize(i)));
            table.gained(id);
        }
    }

    public int pageSize() {
        return pages.pageSize();
    }

    /** Database size in pages. */
    public int commit() {
        return pages.commit();
    }

    /** Database size in bytes, what {@code xFileSize} answers. */
    public long sizeBytes() {
        return (long) pages.commit() * pages.pageSize();
    }

    /** TXID of this state. */
    public long txid() {
        return txid;
    }

    /** When this state was written (the header time of its newest file). */
    public Instant timestamp() {
        return timestamp;
    }

    /** The restore plan this state was composed from (files applied since are not listed). */
    public RestorePlan plan() {
        return plan;
    }

    /** Where {@code pgno}'s frame lies, or null if the page is absent (e.g. the lock page). */
    public FrameLocation frame(int pgno) {
        int id = pages.fileId(pgno);
        return id < 0 ? null : new FrameLocation(pgno, files.get(id), pages.offset(pgno), pages.frameSize(pgno));
    }

    /**
     * The frames of the pages after {@code pgno} in page order, at most {@code maxPages} pages
     * (absent pages skipped, none past the database's end): what readahead and hydration fetch.
     */
    public List<FrameLocation> framesAfter(int pgno, int maxPages) {
        int last = (int) Math.min(pages.commit(), (long) pgno + maxPages);
        List<FrameLocation> out = new ArrayList<>(Math.max(0, last - pgno));
        for (int p = Math.max(1, pgno + 1); p <= last; p++) {
            FrameLocation f = frame(p);
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /** The raw index (tests). */
    PageIndex pages() {
        return pages;
    }

    /** Files that still serve at least one page, in TXID order. */
    public List<LtxFileInfo> files() {
        List<LtxFileInfo> out = new ArrayList<>();
        for (int i = 0; i < files.capacity(); i++) {
            if (files.get(i) != null) {
                out.add(files.get(i));
            }
        }
        out.sort(Comparator.comparingLong(LtxFileInfo::maxTxid).thenComparingLong(LtxFileInfo::minTxid));
        return out;
    }

    /** Pages served by the file with this id (for tests and diagnostics). */
    int livePages(int fileId) {
        return files.livePages(fileId);
    }

    @Override
    public String toString() {
        return String.format("IndexSnapshot[txid=%016x, %d pages of %d bytes, commit=%d, %d files, %s]",
                txid, pages.count(), pages.pageSize(), pages.commit(), files().size(), timestamp);
    }
}
