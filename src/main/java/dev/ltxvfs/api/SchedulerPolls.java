package dev.ltxvfs.api;

import dev.ltxvfs.vfs.PollScheduler;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The service's background polls are Quarkus scheduler jobs, one per open database, added and
 * removed as the registry opens and closes databases. A tick is skipped while the database's last
 * poll is still running.
 */
@Singleton
class SchedulerPolls implements PollScheduler {
    private final Scheduler scheduler;

    SchedulerPolls(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public AutoCloseable every(String id, Duration interval, Supplier<? extends CompletionStage<?>> poll) {
        scheduler.newJob(id)
                .setInterval(interval.toMillis() + "ms")
                .setConcurrentExecution(Scheduled.ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> Uni.createFrom().completionStage(poll).replaceWithVoid())
                .schedule();
        return () -> scheduler.unscheduleJob(id);
    }
}
