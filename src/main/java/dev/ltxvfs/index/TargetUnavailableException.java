package dev.ltxvfs.index;

/**
 * The replica holds files, but none reaches the requested target: it is older than retention
 * keeps, newer than the replica, or inside a compacted file with no finer level left.
 */
public final class TargetUnavailableException extends RestorePlanException {
    public TargetUnavailableException(String message) {
        super(message);
    }
}
