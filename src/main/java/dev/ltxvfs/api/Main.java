package dev.ltxvfs.api;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The service's entry point: starts what the first query needs ({@link EarlyStart}) on threads of
 * its own, then boots Quarkus beside them. In the AOT cache's recording run it trains the cache
 * on a first query instead ({@link AotTraining}).
 */
@QuarkusMain
public class Main {
    public static void main(String... args) throws Exception {
        boolean training = AotTraining.requested();
        if (training) {
            AotTraining.prepare();
        }
        // Logging is set up by now, on this thread (AotTraining's static logger): the early threads log,
        // and logging set up from two threads at once deadlocks in class initialisation (JUL's LogManager
        // lock against jboss-logmanager's LogContext; seen when the early threads started first, to spare
        // them the ~70-90 ms that this set-up takes with the AOT cache).
        // Until Quarkus sets up logging (it sets the root level to quarkus.log.level again), the
        // JBoss LogManager's first configuration passes every level: the early threads' S3 client
        // would build and buffer its trace records of every request, on the start's critical path.
        // (A DEBUG line of theirs from before the boot is lost: only INFO and above are kept.)
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
        EarlyStart.begin();
        if (training) {
            Quarkus.run(AotTraining.class, args);
        } else {
            Quarkus.run(args);
        }
    }
}
