package dev.ltxvfs.vfs;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What drives background polls. Plain JDBC users get the registry's own timer thread; the service
 * hands the registry the Quarkus scheduler, so its polls are scheduler jobs like any other.
 */
@FunctionalInterface
public interface PollScheduler {

    /**
     * Runs {@code poll} every {@code interval} until the returned handle is closed. A tick that
     * comes while the previous poll has not completed may be skipped.
     *
     * @param id a name for the job, unique among the live ones
     */
    AutoCloseable every(String id, Duration interval, Supplier<? extends CompletionStage<?>> poll);
}
