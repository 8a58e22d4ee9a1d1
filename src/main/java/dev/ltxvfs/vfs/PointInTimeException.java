package dev.ltxvfs.vfs;

/** A point in time that cannot be served: before the oldest retained state (or after the newest). */
public class PointInTimeException extends IllegalArgumentException {
    private final String oldestAvailable;

    public PointInTimeException(String message, String oldestAvailable) {
        super(message);
        this.oldestAvailable = oldestAvailable;
    }

    /** The oldest time that can be read, RFC 3339, or null when unknown. */
    public String oldestAvailable() {
        return oldestAvailable;
    }
}
