package dev.ltxvfs.vfs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * The {@code sqlite3_io_methods} of a main database opened through the litestream VFS: one short
 * upcall per method, each forwarding to {@link MainDbFile} and turning any throwable into a code.
 */
final class IoMethods {
    private static final long SIZE = 104; // iVersion 1: no shared-memory methods, so no WAL
    private static MemorySegment table;

    /** The methods, each a static method of this class with the field's name. */
    static final List<ForeignCall> UPCALLS = List.of(
            new ForeignCall("xClose", 8, FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            new ForeignCall("xRead", 16, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG)),
            new ForeignCall("xWrite", 24, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG)),
            new ForeignCall("xTruncate", 32, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)),
            new ForeignCall("xSync", 40, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            new ForeignCall("xFileSize", 48, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
            new ForeignCall("xLock", 56, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            new ForeignCall("xUnlock", 64, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
            new ForeignCall("xCheckReservedLock", 72, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
            new ForeignCall("xFileControl", 80, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS)),
            new ForeignCall("xSectorSize", 88, FunctionDescriptor.of(JAVA_INT, ADDRESS)),
            new ForeignCall("xDeviceCharacteristics", 96, FunctionDescriptor.of(JAVA_INT, ADDRESS)));

    private IoMethods() {}

    static MemorySegment table() {
        return table;
    }

    static synchronized void init(SqliteApi api) {
        if (table != null) {
            return;
        }
        MemorySegment t = Arena.global().allocate(SIZE, 8);
        t.set(JAVA_INT, 0, 1);
        for (ForeignCall m : UPCALLS) {
            set(api, t, m);
        }
        table = t;
    }

    private static void set(SqliteApi api, MemorySegment t, ForeignCall m) {
        try {
            var h = MethodHandles.lookup().findStatic(IoMethods.class, m.name(), m.descriptor().toMethodType());
            t.set(ADDRESS, m.offset(), api.linker().upcallStub(h, m.descriptor(), Arena.global()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static int xClose(MemorySegment file) {
        try {
            OpenFiles.close(file).close();
            return SqliteCodes.OK;
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR, "close failed", t);
        }
    }

    static int xRead(MemorySegment file, MemorySegment buf, int amt, long offset) {
        try {
            return OpenFiles.get(file).read(buf.reinterpret(amt), amt, offset);
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR_READ, "read of " + amt + " bytes at offset " + offset + " failed", t);
        }
    }

    static int xWrite(MemorySegment file, MemorySegment buf, int amt, long offset) {
        return VfsErrors.fail(SqliteCodes.READONLY, "the litestream VFS is read-only: a replica cannot be written");
    }

    static int xTruncate(MemorySegment file, long size) {
        return VfsErrors.fail(SqliteCodes.READONLY, "the litestream VFS is read-only: a replica cannot be truncated");
    }

    static int xSync(MemorySegment file, int flags) {
        return SqliteCodes.OK;
    }

    static int xFileSize(MemorySegment file, MemorySegment out) {
        try {
            out.reinterpret(8).set(JAVA_LONG, 0, OpenFiles.get(file).fileSize());
            return SqliteCodes.OK;
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR_FSTAT, "cannot size the database", t);
        }
    }

    static int xLock(MemorySegment file, int level) {
        try {
            int rc = OpenFiles.get(file).lock(level);
            return rc == SqliteCodes.READONLY
                    ? VfsErrors.fail(rc, "the litestream VFS is read-only: a replica cannot be written") : rc;
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR_LOCK, "cannot begin a read transaction", t);
        }
    }

    static int xUnlock(MemorySegment file, int level) {
        try {
            return OpenFiles.get(file).unlock(level);
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR, "unlock failed", t);
        }
    }

    static int xCheckReservedLock(MemorySegment file, MemorySegment out) {
        try {
            out.reinterpret(4).set(JAVA_INT, 0, 0);
            return SqliteCodes.OK;
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR, "check reserved lock failed", t);
        }
    }

    /**
     * SQLITE_FCNTL_PRAGMA: {@code arg} is {@code char*[3]} = {error/result out, name, value}. A
     * result or error text must come from sqlite3_malloc, because SQLite frees it.
     */
    static int xFileControl(MemorySegment file, int op, MemorySegment arg) {
        if (op != SqliteCodes.FCNTL_PRAGMA) {
            return SqliteCodes.NOTFOUND;
        }
        MemorySegment args = arg.reinterpret(24);
        try {
            String name = args.get(ADDRESS, 8).reinterpret(Integer.MAX_VALUE).getString(0);
            if (!name.regionMatches(true, 0, "litestream_", 0, 11)) {
                return SqliteCodes.NOTFOUND;
            }
            MemorySegment v = args.get(ADDRESS, 16);
            String value = v.equals(MemorySegment.NULL) ? null : v.reinterpret(Integer.MAX_VALUE).getString(0);
            MainDbFile.PragmaResult r = OpenFiles.get(file).pragma(name, value);
            if (r.text() != null) {
                args.set(ADDRESS, 0, SqliteApi.get().mallocString(r.text()));
            }
            if (r.code() == SqliteCodes.ERROR) {
                VfsErrors.fail(r.code(), r.text());
            }
            return r.code();
        } catch (Throwable t) {
            int rc = VfsErrors.fail(SqliteCodes.ERROR, "PRAGMA " + pragmaName(args), t);
            try {
                args.set(ADDRESS, 0, SqliteApi.get().mallocString(VfsErrors.describe(t)));
            } catch (Throwable ignored) {
                // no message then; the code still reaches the caller
            }
            return rc;
        }
    }

    private static String pragmaName(MemorySegment args) {
        try {
            return args.get(ADDRESS, 8).reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            return "?";
        }
    }

    static int xSectorSize(MemorySegment file) {
        return 0;
    }

    static int xDeviceCharacteristics(MemorySegment file) {
        return 0;
    }
}
