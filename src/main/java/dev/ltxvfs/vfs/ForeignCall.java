package dev.ltxvfs.vfs;

import java.lang.foreign.FunctionDescriptor;

/**
 * A C function pointer the VFS calls (a downcall) or hands to SQLite (an upcall): its field in a
 * SQLite struct and its signature. The lists of them ({@code SqliteApi.DOWNCALLS},
 * {@code LitestreamVfs.UPCALLS}/{@code DOWNCALLS}, {@code IoMethods.UPCALLS}) are what the code
 * binds, and what the native image must register (META-INF/native-image/.../reachability-metadata.json).
 *
 * @param name the C name (of the field, or of the API routine)
 * @param offset the byte offset of the pointer in its struct (64-bit layout)
 */
record ForeignCall(String name, long offset, FunctionDescriptor descriptor) {}
