package dev.ltxvfs.vfs;

import dev.ltxvfs.index.IndexSnapshot;
import dev.ltxvfs.ltx.LtxHeader;
import dev.ltxvfs.store.ObjectNotFoundException;
import java.io.IOException;
import java.time.Instant;

/** A {@link ReplicaView} over one immutable index state, reading pages through the shared cache. */
final class SnapshotView implements ReplicaView {
    private final ReplicaDatabase db;
    private volatile IndexSnapshot snapshot;
    private final byte[] zeros;

    SnapshotView(ReplicaDatabase db, IndexSnapshot snapshot) {
        this.db = db;
        this.snapshot = snapshot;
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
    public byte[] page(int pgno) throws IOException {
        IndexSnapshot s = snapshot;
        if (pgno == LtxHeader.lockPage(s.pageSize()) && s.pages().fileId(pgno) < 0) {
            return zeros; // SQLite never stores data on the lock page; LTX never carries it
        }
        try {
            return db.cache().page(db.handle(), s, pgno, db.readDeadline());
        } catch (ObjectNotFoundException gone) {
            // Compacted away under us: re-plan this exact state and retry once; never serve
            // a page of another state.
            IndexSnapshot same = db.replanExactly(s, gone);
            snapshot = same;
            return db.cache().page(db.handle(), same, pgno, db.readDeadline());
        }
    }
}
