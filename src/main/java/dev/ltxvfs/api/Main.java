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
        EarlyStart.begin();
        if (training) {
            Quarkus.run(AotTraining.class, args);
        } else {
            Quarkus.run(args);
        }
    }
}
