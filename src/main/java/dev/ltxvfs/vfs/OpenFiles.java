package dev.ltxvfs.vfs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maps SQLite's {@code sqlite3_file} structs to our per-connection objects. Our struct is
 * {@code {pMethods, id}}: the id at offset 8 finds the Java object.
 */
final class OpenFiles {
    static final int FILE_STRUCT_SIZE = 16;

    private static final Map<Long, MainDbFile> FILES = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong(1);

    private OpenFiles() {}

    static void open(MemorySegment file, MainDbFile f) {
        long id = NEXT.getAndIncrement();
        FILES.put(id, f);
        file.set(JAVA_LONG, 8, id);
        file.set(ADDRESS, 0, IoMethods.table());
    }

    static MainDbFile get(MemorySegment file) {
        MainDbFile f = FILES.get(file.reinterpret(FILE_STRUCT_SIZE).get(JAVA_LONG, 8));
        if (f == null) {
            throw new IllegalStateException("unknown litestream file handle");
        }
        return f;
    }

    /** Forgets the struct's object and returns it (for closing). */
    static MainDbFile close(MemorySegment file) {
        MainDbFile f = FILES.remove(file.reinterpret(FILE_STRUCT_SIZE).get(JAVA_LONG, 8));
        if (f == null) {
            throw new IllegalStateException("unknown litestream file handle");
        }
        return f;
    }

    static int count() {
        return FILES.size();
    }
}
