package dev.ltxvfs.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Holds one hydration pass's decoding until its downloads are in. Decoding a whole database is as
 * much CPU as downloading it, and on a small machine the two compete for the same cores: decoded
 * first, the last GET arrived later, and a query right after open waited for it (its pages come
 * from a GET's bytes as soon as they are in, so it never waits for the decoding). Opens when
 * every GET of the pass has arrived or failed once all are sent, or when the pass needs decoding
 * to free the bytes its next GET may hold ({@link HydrationPermits}).
 */
final class DecodeGate implements Executor {
    private final Executor decoder;
    private final List<Runnable> held = new ArrayList<>();
    private int arriving;
    private boolean allSent;
    private boolean open;

    DecodeGate(Executor decoder) {
        this.decoder = decoder;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (!open) {
                held.add(task);
                return;
            }
        }
        run(task);
    }

    /** A GET of the pass is sent. */
    synchronized void sent() {
        arriving++;
    }

    /** A GET of the pass has arrived, or failed. */
    void arrived() {
        boolean last;
        synchronized (this) {
            last = --arriving == 0 && allSent;
        }
        if (last) {
            open();
        }
    }

    /** The pass has sent all its GETs (or stopped sending). */
    void allSent() {
        boolean none;
        synchronized (this) {
            allSent = true;
            none = arriving == 0;
        }
        if (none) {
            open();
        }
    }

    void open() {
        List<Runnable> tasks;
        synchronized (this) {
            if (open) {
                return;
            }
            open = true;
            tasks = new ArrayList<>(held);
            held.clear();
        }
        tasks.forEach(this::run);
    }

    /** On the decoder, or here once it takes no more work: a claim must always settle. */
    private void run(Runnable task) {
        try {
            decoder.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }
}
