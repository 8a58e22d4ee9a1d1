package dev.ltxvfs.vfs;

import java.io.IOException;

/** No database answers to a name: the REST API answers 404, a JDBC open fails. */
public final class NoSuchDatabaseException extends IOException {
    public NoSuchDatabaseException(String message) {
        super(message);
    }
}
