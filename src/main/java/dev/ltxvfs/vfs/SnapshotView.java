package dev.ltxvfs.vfs;

import dev.ltxvfs.cache.ReadStream;
import dev.ltxvfs.cache.ReplicaPages;
import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.store.ObjectNotFoundException;
import java.io.IOException;
import java.time.Instant;

/**
 * A {@link ReplicaView} over one immutable index state, reading pages through the database's
 * {@link ReplicaPages}; page 1 is patched once per view ({@link PageOne}).
 */
final class SnapshotView implements ReplicaView {

    /** Builds the same state from a fresh plan after one of its files vanished; fails if that state is gone. */
    interface Replanner {
        IndexSnapshot replan(IndexSnapshot stale, ObjectNotFoundException cause) throws IOException;
    }

    private final ReplicaPages pages;
    private final Replanner replanner;
    private volatile IndexSnapshot snapshot;
    private volatile byte[] page1;
    private final byte[] zeros;

    SnapshotView(IndexSnapshot snapshot, ReplicaPages pages, Replanner replanner) {
        this.snapshot = snapshot;
        this.pages = pages;
        this.replanner = replanner;
        this.zeros = new byte[snapshot.pageSize()];
    }

    IndexSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public int pageSize() {
        return snapshot.pageSize();
    }

    @Override
    public long pageCount() {
        return snapshot.commit();
    }

    @Override
    public long txid() {
        return snapshot.txid();
    }

    @Override
    public Instant timestamp() {
        return snapshot.timestamp();
    }

    @Override
    public byte[] page(int pgno, ReadStream stream) throws IOException {
        if (pgno == 1) {
            byte[] p = page1;
            if (p == null) {
                IndexSnapshot s = snapshot;
                page1 = p = PageOne.served(read(1, stream), s.txid(), s.commit(), s.pageSize());
            }
            return p;
        }
        return read(pgno, stream);
    }

    private byte[] read(int pgno, ReadStream stream) throws IOException {
        IndexSnapshot s = snapshot;
        if (pgno == LtxHeader.lockPage(s.pageSize()) && s.frame(pgno) == null) {
            return zeros; // SQLite never stores data on the lock page; LTX never carries it
        }
        try {
            return pages.page(s, pgno, stream);
        } catch (ObjectNotFoundException gone) {
            // Compacted away under us: re-plan this exact state and retry once; never serve
            // a page of another state.
            IndexSnapshot same = replanner.replan(s, gone);
            snapshot = same;
            return pages.page(same, pgno, stream);
        }
    }
}
