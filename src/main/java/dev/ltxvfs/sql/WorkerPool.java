package dev.ltxvfs.sql;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The bounded pool on which SQLite runs. SQLite's xRead wants bytes back on the calling thread,
 * so a page miss blocks a worker (never an event loop) while the non-blocking GET completes.
 * When every worker is busy and the queue is full, work is refused at once (OVERLOADED) rather
 * than queued without bound.
 */
public final class WorkerPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService timer;
    private final int workers;

    public WorkerPool(int workers, int queue) {
        this.workers = workers;
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(1, queue)),
                r -> {
                    Thread t = new Thread(r, "ltxvfs-sql-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ltxvfs-sql-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on a worker; the future fails with OVERLOADED when the pool is full. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new QueryException(QueryException.Kind.OVERLOADED,
                    "all " + workers + " query workers are busy and the queue is full; retry shortly"));
        }
    }

    public Executor executor() {
        return executor;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    public int workers() {
        return workers;
    }

    /** False once closed (shutdown). */
    public boolean running() {
        return !executor.isShutdown();
    }

    public int queued() {
        return executor.getQueue().size();
    }

    public int active() {
        return executor.getActiveCount();
    }

    @Override
    public void close() {
        if (executor.isShutdown()) {
            return;
        }
        executor.shutdown();
        timer.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
