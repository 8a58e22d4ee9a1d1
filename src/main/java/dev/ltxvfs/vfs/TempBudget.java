package dev.ltxvfs.vfs;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of local temporary files (sorter spills, temp b-trees) one connection may hold at
 * once. Whoever runs SQLite sets the connection's budget on its thread for the call
 * ({@link #charging}); every temp file SQLite opens meanwhile counts against it until it is closed,
 * whichever thread writes it later. Past the limit a write fails with SQLITE_FULL, which ends the
 * statement with {@link TempStorageFullException} as its cause.
 */
public final class TempBudget {
    private static final ThreadLocal<TempBudget> CURRENT = new ThreadLocal<>();

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public TempBudget(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a temp storage limit cannot be negative: " + limit);
        }
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** Makes this the budget of temp files opened on this thread until the scope is closed. */
    public Scope charging() {
        TempBudget previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** The end of {@link #charging}; closing it cannot fail. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    static TempBudget current() {
        return CURRENT.get();
    }

    /** Takes {@code bytes} if they fit under the limit. */
    boolean take(long bytes) {
        long u;
        do {
            u = used.get();
            if (u + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(u, u + bytes));
        return true;
    }

    void give(long bytes) {
        used.addAndGet(-bytes);
    }
}
