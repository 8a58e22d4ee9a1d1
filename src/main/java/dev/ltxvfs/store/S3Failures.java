package dev.ltxvfs.store;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Sorts S3 failures into gone, worth retrying, or final, and says what happened in one line. */
final class S3Failures {
    enum Kind { NOT_FOUND, RETRYABLE, FATAL }

    /** A body shorter than its headers promised: the connection dropped mid-transfer. */
    static final class TruncatedBodyException extends IOException {
        TruncatedBodyException(String message) {
            super(message);
        }
    }

    /** The object ends before the requested range does: asking again cannot help. */
    static final class RangeBeyondEndException extends RuntimeException {
        RangeBeyondEndException(String message) {
            super(message);
        }
    }

    // Error codes S3 and compatible servers use for "try again later", whatever the status.
    private static final Set<String> RETRYABLE_CODES = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable", "TooManyRequests");

    private S3Failures() {}

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static Kind classify(Throwable t) {
        if (t instanceof SdkServiceException se) {
            int status = se.statusCode();
            String code = t instanceof AwsServiceException ae && ae.awsErrorDetails() != null
                    ? ae.awsErrorDetails().errorCode() : null;
            if (status == 404 || "NoSuchKey".equals(code)) return Kind.NOT_FOUND;
            if (status >= 500 || status == 429 || se.isThrottlingException()
                    || (code != null && RETRYABLE_CODES.contains(code))) {
                return Kind.RETRYABLE;
            }
            return Kind.FATAL;
        }
        if (t instanceof CancellationException) return Kind.FATAL; // the caller gave up
        // Connection refused or reset, timeouts, truncated bodies: the network, not the request.
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof TimeoutException
                    || c.getClass().getName().equals("software.amazon.awssdk.crt.http.HttpException")) {
                return Kind.RETRYABLE;
            }
            if (c.getCause() == c) break;
        }
        return Kind.FATAL;
    }

    /** One line: the HTTP status and S3 error code when the server answered, else the root cause. */
    static String describe(Throwable t) {
        if (t instanceof SdkServiceException se) {
            StringBuilder sb = new StringBuilder("HTTP ").append(se.statusCode());
            if (t instanceof AwsServiceException ae && ae.awsErrorDetails() != null) {
                var d = ae.awsErrorDetails();
                if (d.errorCode() != null) sb.append(' ').append(d.errorCode());
                if (d.errorMessage() != null) sb.append(": ").append(d.errorMessage());
            }
            return sb.toString();
        }
        // The SDK's wrappers ("Unable to execute HTTP request: ...") repeat the root cause; keep the root.
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof TimeoutException || root instanceof TruncatedBodyException
                || root instanceof RangeBeyondEndException) return message(root);
        return root.getClass().getSimpleName() + ": " + message(root);
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
