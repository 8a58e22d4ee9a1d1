package dev.ltxvfs.store;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The bytes of one ranged GET, kept across attempts: each attempt asks only for what is still
 * missing and writes it where it belongs, so a body cut short mid-way is retried for the missing
 * range, not the whole one. (LTX files are immutable, so bytes from two attempts always agree.)
 */
final class RangeBody {
    private final long offset;
    private final byte[] bytes;
    private final StoreStats stats;
    /** Bytes received so far, from the start of the range. */
    private volatile int received;

    RangeBody(long offset, int length, StoreStats stats) {
        this.offset = offset;
        this.bytes = new byte[length];
        this.stats = stats;
    }

    /** The HTTP Range of the bytes still missing. */
    String missingRange() {
        return "bytes=" + (offset + received) + "-" + (offset + bytes.length - 1);
    }

    /** A transformer for the next attempt: completes with all the bytes, or fails keeping what came. */
    AsyncResponseTransformer<GetObjectResponse, byte[]> attempt() {
        return new Attempt(received);
    }

    private final class Attempt implements AsyncResponseTransformer<GetObjectResponse, byte[]>, Subscriber<ByteBuffer> {
        private final int from;
        private CompletableFuture<byte[]> result;
        /** Bytes of this response to drop first: a server that ignored Range sends the object from 0. */
        private long skip;
        private int at;
        private String contentRange;

        Attempt(int from) {
            this.from = from;
            this.at = from;
        }

        @Override
        public CompletableFuture<byte[]> prepare() {
            result = new CompletableFuture<>();
            return result;
        }

        @Override
        public void onResponse(GetObjectResponse response) {
            contentRange = response.contentRange();
            skip = contentRange == null ? offset + from : Math.max(0, offset + from - rangeStart(contentRange));
        }

        @Override
        public void onStream(SdkPublisher<ByteBuffer> publisher) {
            publisher.subscribe(this);
        }

        @Override
        public void exceptionOccurred(Throwable error) {
            fail(error);
        }

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ByteBuffer buf) {
            stats.bytes.add(buf.remaining());
            if (skip > 0) {
                int drop = (int) Math.min(skip, buf.remaining());
                buf.position(buf.position() + drop);
                skip -= drop;
            }
            int n = Math.min(buf.remaining(), bytes.length - at);
            buf.get(bytes, at, n);
            at += n;
        }

        @Override
        public void onError(Throwable error) {
            fail(error);
        }

        @Override
        public void onComplete() {
            received = Math.max(received, at);
            if (at == bytes.length) {
                result.complete(bytes);
                return;
            }
            long total = totalSize(contentRange);
            if (total >= 0 && total < offset + bytes.length) {
                result.completeExceptionally(new S3Failures.RangeBeyondEndException(
                        "the object is only " + total + " bytes, short of " + (offset + bytes.length)));
            } else {
                result.completeExceptionally(new S3Failures.TruncatedBodyException(
                        "body cut short: got " + at + " of " + bytes.length + " bytes"));
            }
        }

        private void fail(Throwable error) {
            received = Math.max(received, at); // what came before the cut is kept for the next attempt
            if (result != null) {
                result.completeExceptionally(error);
            }
        }
    }

    /** The first byte of {@code bytes a-b/total}, or 0. */
    private static long rangeStart(String contentRange) {
        int dash = contentRange.indexOf('-');
        int space = contentRange.indexOf(' ');
        try {
            return dash < 0 ? 0 : Long.parseLong(contentRange.substring(space + 1, dash).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The total from {@code bytes a-b/total}, or -1. */
    private static long totalSize(String contentRange) {
        if (contentRange == null) return -1;
        int slash = contentRange.lastIndexOf('/');
        try {
            return slash < 0 ? -1 : Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
