package dev.ltxvfs.vfs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The door into the SQLite that sqlite-jdbc bundles: its {@code sqlite3_api_routines} table,
 * obtained by loading our tiny C extension (src/main/c/ltxvfs_ext.c) on a bootstrap connection.
 *
 * <p>Every field of the routines table is an 8-byte pointer and fields are only ever appended,
 * so a routine's offset is its index times 8.
 */
final class SqliteApi {
    private static final ForeignCall LIBVERSION = new ForeignCall("libversion", 528, FunctionDescriptor.of(ADDRESS));
    private static final ForeignCall MALLOC = new ForeignCall("malloc", 544, FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final ForeignCall VFS_FIND = new ForeignCall("vfs_find", 1128, FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final ForeignCall VFS_REGISTER =
            new ForeignCall("vfs_register", 1136, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    private static final ForeignCall COLUMN_BYTES =
            new ForeignCall("column_bytes", 160, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

    /** Every routine of the API table this class calls. */
    static final List<ForeignCall> DOWNCALLS = List.of(LIBVERSION, MALLOC, VFS_FIND, VFS_REGISTER, COLUMN_BYTES);

    static final String RESOURCE = "native/linux-x86_64/libltxvfs.so";
    private static volatile SqliteApi instance;

    private final Linker linker = Linker.nativeLinker();
    private final MethodHandle malloc;
    private final MethodHandle vfsFind;
    private final MethodHandle vfsRegister;
    private final MethodHandle columnBytes;
    private final String libVersion;

    private SqliteApi(MemorySegment routines) throws Throwable {
        malloc = downcall(routines, MALLOC);
        vfsFind = downcall(routines, VFS_FIND);
        vfsRegister = downcall(routines, VFS_REGISTER);
        columnBytes = downcall(routines, COLUMN_BYTES);
        MethodHandle version = downcall(routines, LIBVERSION);
        libVersion = ((MemorySegment) version.invokeExact()).reinterpret(64).getString(0);
    }

    /** Loads the extension once per process and returns the routines table wrapper. */
    static SqliteApi get() {
        SqliteApi api = instance;
        if (api == null) {
            synchronized (SqliteApi.class) {
                api = instance;
                if (api == null) {
                    instance = api = load();
                }
            }
        }
        return api;
    }

    private static SqliteApi load() {
        Path lib = extractLibrary();
        SQLiteConfig config = new SQLiteConfig();
        config.enableLoadExtension(true);
        // The bootstrap connection only exists to get the routines table handed to our extension.
        try (Connection c = config.createConnection("jdbc:sqlite::memory:");
                Statement s = c.createStatement()) {
            s.execute("SELECT load_extension('" + lib.toString().replace("'", "''") + "', 'ltxvfs_init')");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load the ltxvfs SQLite extension from " + lib + ": " + e.getMessage(), e);
        }
        // dlopen of the same path returns the same handle, so we see the global the extension set.
        SymbolLookup lookup = SymbolLookup.libraryLookup(lib, Arena.global());
        MemorySegment slot = lookup.find("ltxvfs_api")
                .orElseThrow(() -> new IllegalStateException("ltxvfs_api symbol missing in " + lib))
                .reinterpret(ADDRESS.byteSize());
        MemorySegment routines = slot.get(ADDRESS, 0);
        if (routines.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("the ltxvfs SQLite extension did not receive the API table");
        }
        try {
            long end = DOWNCALLS.stream().mapToLong(ForeignCall::offset).max().orElseThrow() + ADDRESS.byteSize();
            return new SqliteApi(routines.reinterpret(end));
        } catch (Throwable t) {
            throw new IllegalStateException("cannot bind SQLite's API table: " + t, t);
        }
    }

    private static Path extractLibrary() {
        try (InputStream in = SqliteApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing: this platform (linux-x86_64 only so far) "
                        + "or the build did not compile src/main/c/ltxvfs_ext.c");
            }
            Path dir = Files.createTempDirectory("ltxvfs-native");
            Path lib = dir.resolve("libltxvfs.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return lib;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the ltxvfs SQLite extension", e);
        }
    }

    private MethodHandle downcall(MemorySegment routines, ForeignCall routine) {
        MemorySegment fn = routines.get(ADDRESS, routine.offset());
        return linker.downcallHandle(fn, routine.descriptor());
    }

    /** A downcall to a C function pointer taken from a SQLite struct (e.g. the unix VFS's methods). */
    MethodHandle downcall(MemorySegment fn, FunctionDescriptor fd) {
        return linker.downcallHandle(fn, fd);
    }

    Linker linker() {
        return linker;
    }

    String libVersion() {
        return libVersion;
    }

    /** A copy of {@code s} in memory from sqlite3_malloc, which SQLite may free (PRAGMA results). */
    MemorySegment mallocString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        try {
            MemorySegment m = ((MemorySegment) malloc.invokeExact(bytes.length + 1)).reinterpret(bytes.length + 1);
            MemorySegment.copy(bytes, 0, m, JAVA_BYTE, 0, bytes.length);
            m.set(JAVA_BYTE, bytes.length, (byte) 0);
            return m;
        } catch (Throwable t) {
            throw new IllegalStateException("sqlite3_malloc failed", t);
        }
    }

    MemorySegment vfsFind(String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment z = name == null ? MemorySegment.NULL : a.allocateFrom(name);
            return (MemorySegment) vfsFind.invokeExact(z);
        } catch (Throwable t) {
            throw new IllegalStateException("sqlite3_vfs_find failed", t);
        }
    }

    /** sqlite3_column_bytes: the size of a text or blob result column, without copying it. */
    int columnBytes(long stmt, int col) {
        try {
            return (int) columnBytes.invokeExact(MemorySegment.ofAddress(stmt), col);
        } catch (Throwable t) {
            throw new IllegalStateException("sqlite3_column_bytes failed", t);
        }
    }

    int vfsRegister(MemorySegment vfs, boolean makeDefault) {
        try {
            return (int) vfsRegister.invokeExact(vfs, makeDefault ? 1 : 0);
        } catch (Throwable t) {
            throw new IllegalStateException("sqlite3_vfs_register failed", t);
        }
    }

}
