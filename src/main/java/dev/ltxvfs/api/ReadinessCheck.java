package dev.ltxvfs.api;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every configured database has its index built: Knative routes traffic then. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    private final Databases databases;

    ReadinessCheck(Databases databases) {
        this.databases = databases;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("databases").status(databases.allReady());
        for (var s : databases.all()) {
            b.withData(s.name(), s.db().ready() ? String.format("TXID %016x", s.db().replica().current().txid()) : "building index");
        }
        return b.build();
    }
}
