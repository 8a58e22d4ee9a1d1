package dev.ltxvfs.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs an asynchronous request with retries: exponential backoff with jitter, an attempt timeout
 * and an overall deadline. Pauses and timeouts are timer tasks on one shared daemon thread. Attempts
 * start on virtual threads, never on the caller's: building a request may block (the first credentials
 * lookup can be an HTTP call to an instance metadata service) and the caller may be an event loop.
 */
final class Retrier {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ltxvfs-store-timer");
        t.setDaemon(true);
        return t;
    });

    private static final ExecutorService STARTER = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("ltxvfs-store-request-", 0).factory());

    private final S3Options options;
    private final StoreStats stats;

    Retrier(S3Options options, StoreStats stats) {
        this.options = options;
        this.stats = stats;
    }

    /**
     * Completes with the first successful attempt, or fails with a {@link StoreException} naming
     * {@code what}. Only a GET ({@code notFoundIsGone}) turns a 404 into {@link ObjectNotFoundException}:
     * for a LIST it means the bucket is missing. Cancelling the result stops the retries.
     */
    <T> CompletableFuture<T> run(String what, boolean notFoundIsGone, Supplier<CompletableFuture<T>> attempt) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long start = System.nanoTime();
        STARTER.execute(() -> attempt(result, what, notFoundIsGone, attempt, 1, start, start + options.deadline().toNanos()));
        return result;
    }

    private <T> void attempt(CompletableFuture<T> result, String what, boolean notFoundIsGone,
                             Supplier<CompletableFuture<T>> attempt, int n, long start, long deadline) {
        if (result.isDone()) return;
        long timeout = Math.min(options.attemptTimeout().toNanos(), deadline - System.nanoTime());
        CompletableFuture<T> f;
        try {
            f = attempt.get();
        } catch (Throwable t) {
            f = CompletableFuture.failedFuture(t);
        }
        CompletableFuture<T> request = f;
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> timer = TIMER.schedule(() -> {
            timedOut.set(true);
            request.cancel(true); // aborts the SDK request
        }, Math.max(timeout, 0), TimeUnit.NANOSECONDS);
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) request.cancel(true);
        });
        request.whenComplete((value, error) -> {
            timer.cancel(false);
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = timedOut.get()
                    ? new TimeoutException("no answer within " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms")
                    : S3Failures.unwrap(error);
            S3Failures.Kind kind = S3Failures.classify(cause);
            if (kind == S3Failures.Kind.RETRYABLE && n < options.maxAttempts()) {
                long pause = backoffNanos(n);
                if (System.nanoTime() + pause < deadline) {
                    stats.retries.increment();
                    TIMER.schedule(() -> STARTER.execute(
                            () -> attempt(result, what, notFoundIsGone, attempt, n + 1, start, deadline)),
                            pause, TimeUnit.NANOSECONDS);
                    return;
                }
            }
            stats.failures.increment();
            result.completeExceptionally(failure(what, cause, kind, notFoundIsGone, n, start));
        });
    }

    /** Pause before retry {@code n}: initial * 2^(n-1), capped, then a random point in its upper half. */
    private long backoffNanos(int n) {
        long base = options.initialBackoff().toNanos();
        long cap = options.maxBackoff().toNanos();
        long pause = n >= 30 ? cap : Math.min(cap, base << (n - 1));
        return pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
    }

    private static StoreException failure(String what, Throwable cause, S3Failures.Kind kind, boolean notFoundIsGone,
                                          int attempts, long start) {
        String why = S3Failures.describe(cause);
        if (kind == S3Failures.Kind.NOT_FOUND && notFoundIsGone) {
            return new ObjectNotFoundException(what + ": no such object (" + why + ")");
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
        return new StoreException(what + " failed after " + tries + " in " + ms + " ms: " + why, cause);
    }
}
