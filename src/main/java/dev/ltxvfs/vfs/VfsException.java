package dev.ltxvfs.vfs;

/** A VFS failure as the JDBC caller should hear it: the message says what and why. */
public class VfsException extends RuntimeException {
    public VfsException(String message, Throwable cause) {
        super(message, cause);
    }
}
