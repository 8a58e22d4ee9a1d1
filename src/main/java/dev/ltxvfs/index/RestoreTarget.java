package dev.ltxvfs.index;

import dev.ltxvfs.store.LtxFileInfo;
import java.time.Instant;
import java.util.Objects;

/** Which state of the database a restore plan reaches. */
public sealed interface RestoreTarget {

    /** The newest state the replica holds. */
    RestoreTarget LATEST = new Latest();

    /** Whether {@code file}'s content may be part of a plan for this target. */
    boolean admits(LtxFileInfo file);

    static RestoreTarget txid(long txid) {
        return new AtTxid(txid);
    }

    static RestoreTarget time(Instant time) {
        return new AtTime(time);
    }

    record Latest() implements RestoreTarget {
        @Override
        public boolean admits(LtxFileInfo file) {
            return true;
        }

        @Override
        public String toString() {
            return "latest";
        }
    }

    /** Exactly the state after transaction {@code txid}. */
    record AtTxid(long txid) implements RestoreTarget {
        public AtTxid {
            if (txid < 1) {
                throw new IllegalArgumentException("TXID must be >= 1, got " + txid);
            }
        }

        @Override
        public boolean admits(LtxFileInfo file) {
            return file.maxTxid() <= txid;
        }

        @Override
        public String toString() {
            return String.format("TXID %016x", txid);
        }
    }

    /**
     * The newest state written strictly before {@code time}. A file counts iff its createdAt is
     * before the target, as in Litestream; resolution is that of the finest level still present.
     */
    record AtTime(Instant time) implements RestoreTarget {
        public AtTime {
            Objects.requireNonNull(time, "time");
        }

        @Override
        public boolean admits(LtxFileInfo file) {
            return file.createdAt() != null && file.createdAt().isBefore(time);
        }

        @Override
        public String toString() {
            return "time " + time;
        }
    }
}
