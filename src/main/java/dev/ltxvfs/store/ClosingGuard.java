package dev.ltxvfs.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * The CRT HTTP client, closed only while no request is being handed to it. Its {@code execute} (SDK
 * 2.57.8) looks up the endpoint's connection pool and then submits to it without holding a reference:
 * a {@code close} in between shuts the native pool down first, and the CRT answers the submission with
 * a fatal assertion ({@code connection_manager.c: manager->state == AWS_HCMST_READY}) that aborts the
 * JVM. That happened in CI when a replica's retry was issued while its store closed. Submission is
 * short (a map lookup and one native call), so requests share a read lock and close takes the write
 * lock; a request after close gets the client's own "Client is closed" failure.
 */
final class ClosingGuard implements SdkAsyncHttpClient {
    private final SdkAsyncHttpClient client;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    ClosingGuard(SdkAsyncHttpClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
        lock.readLock().lock();
        try {
            return client.execute(request);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            client.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String clientName() {
        return client.clientName();
    }
}
