package dev.ltxvfs.vfs;

import java.lang.System.Logger.Level;

/**
 * What went wrong in an upcall. SQLite only passes a result code back to the caller, so the
 * message is logged once here and kept per thread, where the SQL layer (which runs the statement
 * on the same thread) picks it up to explain the error.
 */
final class VfsErrors {
    private static final System.Logger LOG = System.getLogger("dev.ltxvfs.vfs");
    private static final ThreadLocal<Throwable> LAST = new ThreadLocal<>();

    private VfsErrors() {}

    /**
     * Records and logs a failure and returns {@code code}. Called from upcalls' catch blocks and
     * bodies, so it must never throw itself (a logger or a message that throws would end the JVM).
     */
    static int fail(int code, String what, Throwable t) {
        try {
            String message = what + ": " + describe(t);
            LAST.set(t instanceof VfsException ? t : new VfsException(message, t));
            if (t instanceof java.io.IOException || t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
                LOG.log(Level.WARNING, message);
            } else {
                LOG.log(Level.ERROR, message, t);
            }
        } catch (Throwable ignored) {
            // the code still reaches SQLite; nothing else can be done safely here
        }
        return code;
    }

    static int fail(int code, String message) {
        try {
            LAST.set(new VfsException(message, null));
            LOG.log(Level.WARNING, message);
        } catch (Throwable ignored) {
            // as above: never throw out of an upcall
        }
        return code;
    }

    /** Records a refusal the caller's own limit asked for: logged at DEBUG only, it is no fault of the service. */
    static int refuse(int code, VfsException e) {
        try {
            LAST.set(e);
            LOG.log(Level.DEBUG, e.getMessage());
        } catch (Throwable ignored) {
            // as above: never throw out of an upcall
        }
        return code;
    }

    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** The last VFS failure on this thread, cleared by reading it. */
    static Throwable takeLast() {
        Throwable t = LAST.get();
        LAST.remove();
        return t;
    }

    static void clear() {
        LAST.remove();
    }
}
