package dev.ltxvfs.index;

/** The replica holds no LTX file at all (not yet replicated, or a wrong path). */
public final class NoLtxFilesException extends RestorePlanException {
    public NoLtxFilesException(String location) {
        super("no LTX files in " + location);
    }
}
