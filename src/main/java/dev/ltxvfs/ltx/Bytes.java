package dev.ltxvfs.ltx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Big-endian fixed-width reads and writes: every fixed-width LTX integer is big-endian. */
final class Bytes {
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    static int u16(byte[] b, int off) {
        return (short) U16.get(b, off) & 0xFFFF;
    }

    static int i32(byte[] b, int off) {
        return (int) U32.get(b, off);
    }

    static long u32(byte[] b, int off) {
        return Integer.toUnsignedLong((int) U32.get(b, off));
    }

    static long i64(byte[] b, int off) {
        return (long) U64.get(b, off);
    }

    static void put16(byte[] b, int off, int v) {
        U16.set(b, off, (short) v);
    }

    static void put32(byte[] b, int off, int v) {
        U32.set(b, off, v);
    }

    static void put64(byte[] b, int off, long v) {
        U64.set(b, off, v);
    }
}
