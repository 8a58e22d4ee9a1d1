package dev.ltxvfs.vfs;

import java.time.Duration;

/**
 * The bounds of a {@link DatabaseRegistry}.
 *
 * @param idleClose a catalog's database (or one served until idle) unused this long closes
 * @param maxOpen most catalog databases open at once (least recently used closes first)
 * @param pollWait longest an on-demand poll holds up the read transaction that started it
 * @param missMemory how long a name not found in a catalog is remembered as missing
 * @param openDeadline longest a lookup in a catalog may take
 */
public record RegistryLimits(Duration idleClose, int maxOpen, Duration pollWait, Duration missMemory, Duration openDeadline) {
    public static final RegistryLimits DEFAULTS =
            new RegistryLimits(Duration.ofMinutes(10), 1000, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60));
}
