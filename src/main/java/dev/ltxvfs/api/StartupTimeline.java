package dev.ltxvfs.api;

import java.lang.management.ManagementFactory;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import org.jboss.logging.Logger;

/**
 * The moments from JVM start to the first answered query, which is what a scale-to-zero request
 * waits for; logged once, in one line, when the first query is answered (bench-startup.sh reads it).
 * Process-wide, like the start it describes: the first moments come before Quarkus has booted.
 * Each moment counts its first occurrence only (the first database, the first S3 client).
 */
final class StartupTimeline {
    private static final Logger LOG = Logger.getLogger(StartupTimeline.class);

    enum Moment {
        /** Quarkus has booted (StartupEvent; the HTTP port opens right after). */
        QUARKUS_BOOT("quarkus boot"),
        /** The litestream VFS is registered in sqlite-jdbc's SQLite (its native library loaded). */
        VFS_REGISTERED("vfs registered"),
        /** The first S3 client is built. */
        S3_CLIENT_READY("s3 client ready"),
        /** The first database's index build (LISTs, tail reads, merge) is done. */
        LIST_AND_TAILS("list+tails done"),
        /** The first database can answer: its index is built and the VFS registered. */
        INDEX_READY("index ready"),
        /** The first query is answered. */
        FIRST_QUERY("first query");

        final String label;

        Moment(String label) {
            this.label = label;
        }
    }

    private static final Map<Moment, Long> AT = new EnumMap<>(Moment.class);
    private static long jvmStart = -1;

    private StartupTimeline() {}

    /** Records {@code m} now, unless it happened before ({@link Moment#INDEX_READY} follows from two others). */
    static void mark(Moment m) {
        long now = System.currentTimeMillis();
        String line = null;
        synchronized (AT) {
            if (AT.containsKey(m)) {
                return;
            }
            AT.put(m, now);
            if (AT.containsKey(Moment.LIST_AND_TAILS) && AT.containsKey(Moment.VFS_REGISTERED)) {
                AT.putIfAbsent(Moment.INDEX_READY, now);
            }
            if (m == Moment.FIRST_QUERY) {
                line = line();
            }
        }
        if (line != null) {
            LOG.info(line);
        }
    }

    /** "startup (ms after JVM start): quarkus boot 512, vfs registered 430, ..., first query 701". */
    private static String line() {
        if (jvmStart < 0) {
            jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        }
        StringJoiner j = new StringJoiner(", ", "startup (ms after JVM start): ", "");
        for (Moment m : Moment.values()) {
            Long at = AT.get(m);
            j.add(m.label + " " + (at == null ? "-" : Long.toString(at - jvmStart)));
        }
        return j.toString();
    }
}
