package dev.ltxvfs.vfs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Optional;

/**
 * The {@code litestream} VFS inside the SQLite that sqlite-jdbc bundles.
 *
 * <p>Main databases are served read-only from the process's {@link DatabaseRegistry}
 * ({@code jdbc:sqlite:file:orders?vfs=litestream} reads the database served as {@code orders}).
 * Everything else SQLite opens (temp tables, sorter spills, statement journals) goes to the unix VFS
 * on local disk, with our file struct sized to hold unix's, and counts against the {@link TempBudget}
 * of the thread that opens it ({@link TempFiles}). Randomness, sleep, time and dlopen are
 * unix's function pointers copied as they are, which costs no upcall.
 *
 * <p>Every upcall catches {@link Throwable}: an exception escaping an upcall ends the JVM.
 */
public final class LitestreamVfs {
    public static final String NAME = "litestream";

    // sqlite3_vfs field offsets (64-bit)
    private static final long VFS_SIZE = 168;
    private static final long SZ_OS_FILE = 4;
    private static final ForeignCall X_OPEN =
            new ForeignCall("xOpen", 40, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
    private static final ForeignCall X_DELETE = new ForeignCall("xDelete", 48, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final ForeignCall X_ACCESS =
            new ForeignCall("xAccess", 56, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
    private static final ForeignCall X_FULL_PATHNAME =
            new ForeignCall("xFullPathname", 64, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS));
    private static final long X_DLOPEN = 72;
    private static final long X_CURRENT_TIME_INT64 = 136;

    /** Our sqlite3_vfs methods, each a static method of this class with the field's name. */
    static final List<ForeignCall> UPCALLS = List.of(X_OPEN, X_DELETE, X_ACCESS, X_FULL_PATHNAME);
    /** The unix VFS's methods we forward to (temp files, sidecar checks). */
    static final List<ForeignCall> DOWNCALLS = List.of(X_OPEN, X_DELETE, X_ACCESS);

    private static volatile boolean registered;

    private static volatile MemorySegment unixVfs;

    /**
     * The unix VFS's methods we forward to, bound at their first use (temp files, names we do not
     * serve): the first query needs none of them, and each binding spins classes at run time that
     * the AOT cache cannot hold. A failure here fails that call, inside its upcall's catch.
     */
    private static final class Unix {
        static final MethodHandle OPEN = bind(X_OPEN);
        static final MethodHandle DELETE = bind(X_DELETE);
        static final MethodHandle ACCESS = bind(X_ACCESS);

        private static MethodHandle bind(ForeignCall m) {
            return SqliteApi.get().downcall(unixVfs.get(ADDRESS, m.offset()), m.descriptor());
        }
    }

    private LitestreamVfs() {}

    /** Registers the VFS in sqlite-jdbc's SQLite; idempotent, safe from any thread. */
    public static synchronized void register() {
        if (registered) {
            return;
        }
        SqliteApi api = SqliteApi.get();
        MemorySegment unix = api.vfsFind("unix").reinterpret(VFS_SIZE);
        if (unix.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("SQLite has no unix VFS to delegate temp files to");
        }
        unixVfs = unix;

        Arena arena = Arena.global();
        MemorySegment vfs = arena.allocate(VFS_SIZE, 8);
        vfs.set(JAVA_INT, 0, 2); // iVersion 2: has xCurrentTimeInt64, no syscall overrides
        vfs.set(JAVA_INT, SZ_OS_FILE, Math.max(unix.get(JAVA_INT, SZ_OS_FILE), OpenFiles.FILE_STRUCT_SIZE));
        vfs.set(JAVA_INT, 8, 512); // mxPathname
        vfs.set(ADDRESS, 24, arena.allocateFrom(NAME));
        for (ForeignCall m : UPCALLS) {
            vfs.set(ADDRESS, m.offset(), upcall(m.name(), m.descriptor()));
        }
        for (long off = X_DLOPEN; off <= X_CURRENT_TIME_INT64; off += 8) {
            vfs.set(ADDRESS, off, unix.get(ADDRESS, off));
        }
        IoMethods.init(api);
        int rc = api.vfsRegister(vfs, false);
        if (rc != SqliteCodes.OK) {
            throw new IllegalStateException("sqlite3_vfs_register(litestream) failed with code " + rc);
        }
        registered = true;
    }

    /**
     * The last failure the VFS recorded on this thread (then cleared), if any. SQLite passes only a
     * code to the JDBC caller; this is the cause behind it, with its message.
     */
    public static Optional<Throwable> takeLastFailure() {
        return Optional.ofNullable(VfsErrors.takeLast());
    }

    /** Forgets any recorded failure on this thread (before running a statement). */
    public static void clearLastFailure() {
        VfsErrors.clear();
    }

    private static MemorySegment upcall(String method, FunctionDescriptor fd) {
        try {
            MethodType type = fd.toMethodType();
            MethodHandle h = MethodHandles.lookup().findStatic(LitestreamVfs.class, method, type);
            return SqliteApi.get().linker().upcallStub(h, fd, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cString(MemorySegment z) {
        return z.equals(MemorySegment.NULL) ? null : z.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    private static boolean isSidecarName(String name) {
        return name.endsWith("-journal") || name.endsWith("-wal") || name.endsWith("-shm");
    }

    // ---- upcalls (each catches Throwable) ----

    static int xOpen(MemorySegment vfs, MemorySegment zName, MemorySegment file, int flags, MemorySegment outFlags) {
        MemorySegment f = MemorySegment.NULL;
        try {
            f = file.reinterpret(OpenFiles.FILE_STRUCT_SIZE);
            f.set(ADDRESS, 0, MemorySegment.NULL); // SQLite must see no methods if the open fails
            if ((flags & SqliteCodes.OPEN_MAIN_DB) == 0) {
                if ((flags & (SqliteCodes.OPEN_WAL | SqliteCodes.OPEN_MAIN_JOURNAL)) != 0) {
                    return VfsErrors.fail(SqliteCodes.CANTOPEN, "the litestream VFS is read-only: no journal or WAL for "
                            + cString(zName));
                }
                // Temp databases, sorter spills, statement journals: local files through unix,
                // counted against the query's temp budget (TempFiles).
                int rc = (int) Unix.OPEN.invokeExact(unixVfs, zName, file, flags, outFlags);
                return rc == SqliteCodes.OK ? TempFiles.opened(file) : rc;
            }
            String name = cString(zName);
            if (name == null) {
                return VfsErrors.fail(SqliteCodes.CANTOPEN, "the litestream VFS serves named databases only");
            }
            DatabaseRegistry registry = Ltxvfs.registry();
            // Opens the database now (a lazy first open happens here), so a bad name fails the connect.
            try {
                registry.acquireFile(name).close();
            } catch (NoSuchDatabaseException e) {
                return VfsErrors.fail(SqliteCodes.CANTOPEN, e.getMessage()
                        + " in the litestream VFS (and no LITESTREAM_REPLICA_URL default)");
            }
            OpenFiles.open(f, new MainDbFile(registry, name));
            if (!outFlags.equals(MemorySegment.NULL)) {
                outFlags.reinterpret(4).set(JAVA_INT, 0, SqliteCodes.OPEN_READONLY | SqliteCodes.OPEN_MAIN_DB);
            }
            return SqliteCodes.OK;
        } catch (Throwable t) {
            try {
                if (f.byteSize() >= OpenFiles.FILE_STRUCT_SIZE) {
                    f.set(ADDRESS, 0, MemorySegment.NULL);
                }
            } catch (Throwable ignored) {
                // nothing more to undo
            }
            return VfsErrors.fail(SqliteCodes.CANTOPEN, "cannot open " + safeName(zName), t);
        }
    }

    static int xDelete(MemorySegment vfs, MemorySegment zName, int syncDir) {
        try {
            String name = cString(zName);
            if (name != null && isSidecarName(name)) {
                return SqliteCodes.OK; // we never create journals or WALs
            }
            return (int) Unix.DELETE.invokeExact(unixVfs, zName, syncDir);
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR_DELETE, "cannot delete " + safeName(zName), t);
        }
    }

    static int xAccess(MemorySegment vfs, MemorySegment zName, int flags, MemorySegment resOut) {
        try {
            MemorySegment res = resOut.reinterpret(4);
            String name = cString(zName);
            if (name != null && isSidecarName(name)) {
                res.set(JAVA_INT, 0, 0); // no hot journal, no WAL: ever
                return SqliteCodes.OK;
            }
            if (name != null && Ltxvfs.registry().servesFile(name)) {
                res.set(JAVA_INT, 0, flags == 1 ? 0 : 1); // exists and readable, not writable
                return SqliteCodes.OK;
            }
            return (int) Unix.ACCESS.invokeExact(unixVfs, zName, flags, resOut);
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.IOERR, "cannot check " + safeName(zName), t);
        }
    }

    /** Database names are labels, not paths: passed through unchanged. */
    static int xFullPathname(MemorySegment vfs, MemorySegment zName, int nOut, MemorySegment zOut) {
        try {
            MemorySegment in = zName.reinterpret(Integer.MAX_VALUE);
            long len = 0;
            while (in.get(JAVA_BYTE, len) != 0) {
                len++;
            }
            if (len + 1 > nOut) {
                return VfsErrors.fail(SqliteCodes.CANTOPEN, "database name longer than " + (nOut - 1) + " bytes");
            }
            MemorySegment out = zOut.reinterpret(nOut);
            MemorySegment.copy(in, 0, out, 0, len + 1);
            return SqliteCodes.OK;
        } catch (Throwable t) {
            return VfsErrors.fail(SqliteCodes.CANTOPEN, "bad database name", t);
        }
    }

    private static String safeName(MemorySegment z) {
        try {
            return String.valueOf(cString(z));
        } catch (Throwable t) {
            return "?";
        }
    }
}
