package dev.ltxvfs.index;

import java.time.Instant;

/**
 * The replica holds files, but none reaches the requested target: it is older than retention
 * keeps, newer than the replica, or inside a compacted file with no finer level left.
 */
public final class TargetUnavailableException extends RestorePlanException {
    private final Instant oldestAvailable;

    public TargetUnavailableException(String message) {
        this(message, null);
    }

    public TargetUnavailableException(String message, Instant oldestAvailable) {
        super(message);
        this.oldestAvailable = oldestAvailable;
    }

    /**
     * The LTX header time of the oldest state kept (any time after it can be read), when the
     * target was a time before it; otherwise null.
     */
    public Instant oldestAvailable() {
        return oldestAvailable;
    }
}
