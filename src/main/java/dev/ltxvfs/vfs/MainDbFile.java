package dev.ltxvfs.vfs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.ltxvfs.cache.ReadStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One connection's open main database: which view it reads and the PRAGMAs it answers.
 *
 * <p>The connection holds a name, not a database: each read transaction takes a {@link Lease}
 * from the registry at SHARED and gives it back at unlock, so the registry never closes a
 * database under a running read, and a connection outlives its database being closed and
 * opened again. Outside a transaction (a PRAGMA) a lease is held only for the call. What the
 * connection keeps between transactions (its point-in-time view, its read stream) belongs to the
 * database instance it came from, so after a close and reopen it is made again from the new one.
 *
 * <p>SQLite drives a connection from one thread at a time, so the fields need visibility across
 * threads (a pooled connection moves between workers) but no locking.
 */
final class MainDbFile {
    private final DatabaseRegistry registry;
    /** The file name SQLite opened; each lease resolves it again (the database may have reopened). */
    private final String name;
    /** The lease and view pinned for the current read transaction; null outside one. */
    private volatile Lease lease;
    private volatile ReplicaView pinned;
    /** The point-in-time view chosen by PRAGMA litestream_time (or _txid), with its database; null means live. */
    private volatile Historical historical;
    private volatile String historicalTime;
    private volatile int lock = SqliteCodes.LOCK_NONE;
    /** This connection's sequential-read tracker, from its database at the first lock: readahead follows its scans. */
    private volatile ReadStream stream;
    private volatile VfsDatabase streamOwner;

    /** A past view and the open database it reads through. */
    private record Historical(VfsDatabase owner, ReplicaView view) {}

    MainDbFile(DatabaseRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    private ReplicaView view() throws IOException {
        ReplicaView v = pinned;
        if (v != null) {
            return v;
        }
        try (Lease l = registry.acquireFile(name)) {
            return viewOf(l.database());
        }
    }

    /**
     * The view this connection reads from {@code db}: live, or its past view. A past view taken
     * from an instance since closed (idle, max-open) would read through a closed store, so it is
     * rebuilt from {@code db} at exactly the same TXID (or fails saying the replica no longer
     * reaches it).
     */
    private ReplicaView viewOf(VfsDatabase db) throws IOException {
        Historical h = historical;
        if (h == null) {
            return db.current();
        }
        if (h.owner() != db) {
            h = new Historical(db, db.atTxid(h.view().txid()));
            historical = h;
        }
        return h.view();
    }

    /** xLock: taking SHARED pins the view this read transaction will see; writes are refused. */
    int lock(int level) throws IOException {
        if (level >= SqliteCodes.LOCK_RESERVED) {
            return SqliteCodes.READONLY;
        }
        if (lock == SqliteCodes.LOCK_NONE && level >= SqliteCodes.LOCK_SHARED) {
            Lease l = registry.acquireForRead(name);
            try {
                pinned = viewOf(l.database());
                lease = l;
                if (streamOwner != l.database()) {
                    stream = l.database().newStream();
                    streamOwner = l.database();
                }
            } catch (IOException | RuntimeException e) {
                l.close();
                throw e;
            }
        }
        lock = Math.max(lock, level);
        return SqliteCodes.OK;
    }

    int unlock(int level) {
        if (level == SqliteCodes.LOCK_NONE) {
            release();
        }
        lock = level;
        return SqliteCodes.OK;
    }

    /** xClose: a transaction left open (a connection closed mid-read) gives its lease back. */
    void close() {
        release();
    }

    private void release() {
        pinned = null;
        Lease l = lease;
        lease = null;
        if (l != null) {
            l.close();
        }
    }

    long fileSize() throws IOException {
        ReplicaView v = view();
        return v.pageCount() * v.pageSize();
    }

    /**
     * xRead into {@code dst} (exactly {@code amt} bytes long). A read past the end zero-fills the
     * rest and answers SQLITE_IOERR_SHORT_READ, as SQLite expects.
     */
    int read(MemorySegment dst, int amt, long offset) throws IOException {
        ReplicaView v = pinned;
        if (v != null) {
            return read(v, stream, dst, amt, offset);
        }
        // Outside a read transaction (SQLite reads the header before it locks): the lease is held
        // through the read, or the registry could close the database (max-open, idle) under it.
        // Such reads are single pages (the header), so they follow no stream.
        try (Lease l = registry.acquireFile(name)) {
            return read(viewOf(l.database()), null, dst, amt, offset);
        }
    }

    private int read(ReplicaView v, ReadStream stream, MemorySegment dst, int amt, long offset) throws IOException {
        int pageSize = v.pageSize();
        long size = v.pageCount() * pageSize;
        int done = 0;
        while (done < amt && offset + done < size) {
            long pos = offset + done;
            int pgno = (int) (pos / pageSize) + 1;
            int inPage = (int) (pos % pageSize);
            int n = (int) Math.min(Math.min(pageSize - inPage, amt - done), size - pos);
            byte[] page = v.page(pgno, stream);
            MemorySegment.copy(page, inPage, dst, JAVA_BYTE, done, n);
            done += n;
        }
        if (done < amt) {
            dst.asSlice(done, amt - done).fill((byte) 0);
            return SqliteCodes.IOERR_SHORT_READ;
        }
        return SqliteCodes.OK;
    }

    /** The outcome of a PRAGMA: handled with a result row (or none), an error, or not ours. */
    record PragmaResult(int code, String text) {
        static final PragmaResult NOT_OURS = new PragmaResult(SqliteCodes.NOTFOUND, null);

        static PragmaResult ok(String value) {
            return new PragmaResult(SqliteCodes.OK, value);
        }

        static PragmaResult error(String message) {
            return new PragmaResult(SqliteCodes.ERROR, message);
        }
    }

    /**
     * PRAGMA litestream_time / litestream_txid / litestream_lag / litestream_hydration_progress;
     * anything else passes through.
     * Setting {@code litestream_txid} (16 hex digits) is our extension: it pins the connection to
     * exactly that state until {@code litestream_time = 'latest'}, so a libSQL stream can hold one
     * snapshot across requests, or reopen it on another instance.
     */
    PragmaResult pragma(String name, String value) throws IOException {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "litestream_txid":
                return value == null ? PragmaResult.ok(String.format("%016x", view().txid())) : setTxid(value);
            case "litestream_lag":
                if (value != null) {
                    return PragmaResult.error("litestream_lag is read-only");
                }
                return PragmaResult.ok(Long.toString(lagSeconds()));
            case "litestream_hydration_progress":
                if (value != null) {
                    return PragmaResult.error("litestream_hydration_progress is read-only");
                }
                // Percent with one decimal, as the Litestream VFS answers ("0" when off).
                double p = hydrationProgress();
                return PragmaResult.ok(p == 0 ? "0" : String.format(Locale.ROOT, "%.1f", p));
            case "litestream_time":
                return value == null ? PragmaResult.ok(timeText()) : setTime(value);
            default:
                return PragmaResult.NOT_OURS;
        }
    }

    private double hydrationProgress() throws IOException {
        try (Lease now = registry.acquireFile(name)) {
            return now.database().hydrationProgress();
        }
    }

    private long lagSeconds() throws IOException {
        Lease l = lease;
        if (l != null) {
            return l.database().lagSeconds();
        }
        try (Lease now = registry.acquireFile(name)) {
            return now.database().lagSeconds();
        }
    }

    /** The time of the state this connection reads (RFC 3339), as the Litestream VFS reports it. */
    private String timeText() throws IOException {
        String t = historicalTime;
        if (t != null) {
            return t;
        }
        java.time.Instant ts = view().timestamp();
        return ts == null ? "latest" : DateTimeFormatter.ISO_INSTANT.format(ts);
    }

    private PragmaResult setTxid(String value) throws IOException {
        long txid;
        try {
            txid = Long.parseUnsignedLong(value.trim(), 16);
        } catch (NumberFormatException e) {
            return PragmaResult.error("litestream_txid takes a TXID of 16 hex digits, not '" + value + "'");
        }
        Historical h = historical;
        // A failure throws here, before anything changes: the previous view stays.
        try (Lease l = registry.acquireFile(name)) {
            if (h == null || h.owner() != l.database() || h.view().txid() != txid) {
                historical = new Historical(l.database(), l.database().atTxid(txid));
            }
        }
        historicalTime = null; // reported from the pinned view's own timestamp
        return PragmaResult.ok(String.format("%016x", txid));
    }

    private PragmaResult setTime(String value) throws IOException {
        String when = value.trim();
        if (when.equalsIgnoreCase("latest")) {
            historical = null;
            historicalTime = null;
            return PragmaResult.ok("latest");
        }
        // A bad or unavailable time throws here, before anything changes: the previous view stays.
        ReplicaView v;
        try (Lease l = registry.acquireFile(name)) {
            v = l.database().at(when);
            historical = new Historical(l.database(), v);
        }
        historicalTime = DateTimeFormatter.ISO_INSTANT.format(v.timestamp());
        return PragmaResult.ok(historicalTime);
    }
}
