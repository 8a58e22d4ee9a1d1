package dev.ltxvfs.vfs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQLite's local temporary files (sorter spills, temp b-trees), opened by the unix VFS and, when
 * the opening thread runs under a {@link TempBudget}, counted against it: each counted file gets a
 * copy of unix's method table in which xWrite, xTruncate and xClose are upcalls that count and
 * forward to unix's; every other method stays unix's own function, with no upcall. A write that
 * would take the budget past its limit answers SQLITE_FULL: the statement fails, the process does not.
 * A file counts its extent (the end of its furthest write), given back when it shrinks or closes.
 */
final class TempFiles {
    private static final long METHODS_SIZE = 152; // sqlite3_io_methods, iVersion 3
    private static final ForeignCall X_CLOSE = new ForeignCall("xClose", 8, FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final ForeignCall X_WRITE =
            new ForeignCall("xWrite", 24, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final ForeignCall X_TRUNCATE = new ForeignCall("xTruncate", 32, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /** Ours, each a static method of this class with the field's name; and unix's, which they forward to. */
    static final List<ForeignCall> UPCALLS = List.of(X_CLOSE, X_WRITE, X_TRUNCATE);
    static final List<ForeignCall> DOWNCALLS = UPCALLS;

    /** Our table for one unix method table, and unix's three methods we wrap. */
    private record Wrapped(MemorySegment table, MethodHandle close, MethodHandle write, MethodHandle truncate) {}

    /** One counted file: its budget and extent. A connection uses its files from one thread at a time. */
    private static final class Counted {
        final Wrapped unix;
        final TempBudget budget;
        volatile long size;

        Counted(Wrapped unix, TempBudget budget) {
            this.unix = unix;
            this.budget = budget;
        }
    }

    /** By the address of unix's method table (one or two distinct tables in practice). */
    private static final Map<Long, Wrapped> TABLES = new ConcurrentHashMap<>();
    /** By the address of SQLite's sqlite3_file. */
    private static final Map<Long, Counted> FILES = new ConcurrentHashMap<>();

    /**
     * Our upcall stubs, in {@link #UPCALLS} order, made when the first counted file opens: most
     * queries never spill, and each stub spins classes at run time that the AOT cache cannot hold.
     */
    private static final class Stubs {
        static final MemorySegment[] ALL = make();

        private static MemorySegment[] make() {
            SqliteApi api = SqliteApi.get();
            MemorySegment[] s = new MemorySegment[UPCALLS.size()];
            for (int i = 0; i < s.length; i++) {
                ForeignCall m = UPCALLS.get(i);
                try {
                    var h = MethodHandles.lookup().findStatic(TempFiles.class, m.name(), m.descriptor().toMethodType());
                    s[i] = api.linker().upcallStub(h, m.descriptor(), Arena.global());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return s;
        }
    }

    private TempFiles() {}

    /**
     * Called right after unix opened {@code file}: counts it against the thread's budget, if any.
     * Returns SQLite's result for the open (a file that cannot be counted is closed again).
     */
    static int opened(MemorySegment file) {
        TempBudget budget = TempBudget.current();
        if (budget == null) {
            return SqliteCodes.OK; // plain JDBC users: unix's file as it is
        }
        MemorySegment f = file.reinterpret(8);
        MemorySegment unixTable = f.get(ADDRESS, 0);
        try {
            Wrapped w = TABLES.computeIfAbsent(unixTable.address(), a -> wrap(unixTable));
            FILES.put(file.address(), new Counted(w, budget));
            f.set(ADDRESS, 0, w.table());
            return SqliteCodes.OK;
        } catch (Throwable t) {
            try {
                int closed = (int) SqliteApi.get().downcall(unixTable.reinterpret(METHODS_SIZE).get(ADDRESS, X_CLOSE.offset()),
                        X_CLOSE.descriptor()).invokeExact(file);
            } catch (Throwable closeFailed) {
                // the open fails either way
            }
            f.set(ADDRESS, 0, MemorySegment.NULL);
            return VfsErrors.fail(SqliteCodes.CANTOPEN, "cannot count a temporary file", t);
        }
    }

    private static Wrapped wrap(MemorySegment unixTable) {
        MemorySegment unix = unixTable.reinterpret(METHODS_SIZE);
        int version = unix.get(JAVA_INT, 0);
        long size = version >= 3 ? METHODS_SIZE : version == 2 ? 136 : 104;
        MemorySegment ours = Arena.global().allocate(METHODS_SIZE, 8);
        MemorySegment.copy(unix, 0, ours, 0, size);
        MemorySegment[] s = Stubs.ALL;
        for (int i = 0; i < s.length; i++) {
            ours.set(ADDRESS, UPCALLS.get(i).offset(), s[i]);
        }
        SqliteApi api = SqliteApi.get();
        return new Wrapped(ours, api.downcall(unix.get(ADDRESS, X_CLOSE.offset()), X_CLOSE.descriptor()),
                api.downcall(unix.get(ADDRESS, X_WRITE.offset()), X_WRITE.descriptor()),
                api.downcall(unix.get(ADDRESS, X_TRUNCATE.offset()), X_TRUNCATE.descriptor()));
    }

    // ---- upcalls (each catches Throwable) ----

    static int xWrite(MemorySegment file, MemorySegment buf, int amt, long offset) {
        try {
            Counted c = FILES.get(file.address());
            long grow = offset + amt - c.size;
            if (grow > 0 && !c.budget.take(grow)) {
                return VfsErrors.refuse(SqliteCodes.FULL, new TempStorageFullException(c.budget.limit()));
            }
            int rc = (int) c.unix.write().invokeExact(file, buf, amt, offset);
            if (grow > 0) {
                if (rc == SqliteCodes.OK) {
                    c.size = offset + amt;
                } else {
                    c.budget.give(grow);
                }
            }
            return rc;
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR_WRITE, "write to a temporary file failed", t);
        }
    }

    static int xTruncate(MemorySegment file, long size) {
        try {
            Counted c = FILES.get(file.address());
            int rc = (int) c.unix.truncate().invokeExact(file, size);
            long shrink = c.size - size;
            if (rc == SqliteCodes.OK && shrink > 0) {
                c.size = size;
                c.budget.give(shrink);
            }
            return rc;
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR_TRUNCATE, "truncating a temporary file failed", t);
        }
    }

    static int xClose(MemorySegment file) {
        try {
            Counted c = FILES.remove(file.address());
            try {
                return (int) c.unix.close().invokeExact(file);
            } finally {
                c.budget.give(c.size);
            }
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR, "closing a temporary file failed", t);
        }
    }
}
