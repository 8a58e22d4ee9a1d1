package dev.ltxvfs.api;

import dev.ltxvfs.sql.WorkerPool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive while the worker pool exists; a storage outage makes queries fail, not the process. */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {
    private final WorkerPool workers;

    LivenessCheck(WorkerPool workers) {
        this.workers = workers;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("workers").status(workers.running()).build();
    }
}
