package dev.ltxvfs.index;

/** The files do not chain: after {@code haveUpTo} the next available file starts later than +1. */
public final class TxidGapException extends RestorePlanException {
    private final long haveUpTo;
    private final long nextStartsAt;

    public TxidGapException(String location, long haveUpTo, long nextStartsAt) {
        super(String.format("non-contiguous LTX files in %s: have up to %016x but the next file starts at %016x",
                location, haveUpTo, nextStartsAt));
        this.haveUpTo = haveUpTo;
        this.nextStartsAt = nextStartsAt;
    }

    public long haveUpTo() {
        return haveUpTo;
    }

    public long nextStartsAt() {
        return nextStartsAt;
    }
}
