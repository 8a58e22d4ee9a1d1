package dev.ltxvfs.api;

import dev.ltxvfs.vfs.ReplicaDatabase;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when every configured database has its index built: Knative routes traffic then. Each
 * database not ready says why: its index is still building, or the last attempt failed, and how. A
 * catalog's databases open on first use and never make the service unready.
 */
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
            if (s.catalog() == null) {
                b.withData(s.name(), state(s.db()));
            }
        }
        for (var c : databases.registry().catalogs()) {
            b.withData("catalog " + c.name(), c.location() + " (databases open on first use)");
        }
        b.withData("open databases", databases.registry().openCount());
        return b.build();
    }

    private static String state(ReplicaDatabase db) {
        if (db.ready()) {
            return String.format("TXID %016x", db.replica().current().txid());
        }
        Throwable failure = db.replica().lastFailure();
        return failure == null ? "building index" : "not ready: " + Databases.rootMessage(failure);
    }
}
