package dev.ltxvfs.vfs;

import java.time.Duration;

/**
 * How one served database is kept current: its mode and interval.
 *
 * <p>{@link Mode#BACKGROUND} polls every interval, driven by the {@link PollScheduler} the
 * registry was given (the Quarkus scheduler in the service, else the registry's timer thread);
 * {@link Mode#ON_DEMAND} polls when a read transaction starts and the last poll is older than the
 * interval, waiting at most {@link RegistryLimits#pollWait()} (on failure or timeout the
 * transaction reads the state it has; {@code litestream_lag} shows how old it is);
 * {@link Mode#MANUAL} leaves it to the owner of the database object ({@link VfsDatabase#poll()}).
 */
public record Polling(Mode mode, Duration interval) {
    public enum Mode { BACKGROUND, ON_DEMAND, MANUAL }

    public static final Polling MANUAL = new Polling(Mode.MANUAL, Duration.ofSeconds(1));

    public static Polling background(Duration interval) {
        return new Polling(Mode.BACKGROUND, interval);
    }

    public static Polling onDemand(Duration interval) {
        return new Polling(Mode.ON_DEMAND, interval);
    }
}
