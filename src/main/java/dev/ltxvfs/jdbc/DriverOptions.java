package dev.ltxvfs.jdbc;

import dev.ltxvfs.cache.HydrateMode;
import dev.ltxvfs.store.S3Options;
import dev.ltxvfs.vfs.Ltxvfs;
import java.sql.DriverPropertyInfo;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;

/**
 * The connection properties of {@link LitestreamDriver} that decide how a replica is served (all but
 * {@code litestream_time}, which is per connection), with the defaults and names of the service's own
 * {@code ltxvfs.*} settings.
 *
 * @param cacheBytes null when the property is not set
 */
record DriverOptions(Duration poll, Long cacheBytes, HydrateMode hydrate, Duration readTimeout, Duration openTimeout,
                     S3Options s3) {

    /** A property: its name, its default (null: none) and what it means, as tools show them. */
    enum Property {
        TIME("litestream_time", null,
                "read the database as it was then: RFC 3339 (2026-05-01T12:00:00Z) or '5 minutes ago'"),
        POLL_INTERVAL("litestream_poll_interval", "1s", "how often the replica is polled for new transactions (500ms, 1s, 2m)"),
        CACHE_SIZE("litestream_cache_size", null,
                "bytes of pages cached for every replica in this JVM (256M); the first connection sets it"),
        HYDRATE("litestream_hydrate", "auto",
                "read the whole database into the cache in the background: auto (when it fits in half the cache), on, off"),
        READ_TIMEOUT("litestream_read_timeout", seconds(Ltxvfs.DEFAULT_READ_DEADLINE), "a page read that takes longer fails with an I/O error"),
        OPEN_TIMEOUT("litestream_open_timeout", seconds(Ltxvfs.DEFAULT_OPEN_DEADLINE), "how long a query waits for the replica's first index"),
        S3_MAX_ATTEMPTS("litestream_s3_max_attempts", String.valueOf(S3Options.defaults().maxAttempts()), "tries per storage request, the first included"),
        S3_ATTEMPT_TIMEOUT("litestream_s3_attempt_timeout", seconds(S3Options.defaults().attemptTimeout()), "one try of a storage request fails by then"),
        S3_REQUEST_TIMEOUT("litestream_s3_request_timeout", seconds(S3Options.defaults().deadline()), "a storage request, all its tries included, fails by then"),
        S3_MAX_CONNECTIONS("litestream_s3_max_connections", String.valueOf(S3Options.defaults().maxConcurrency()), "open connections to the storage at most");

        final String key;
        final String defaultValue;
        final String description;

        Property(String key, String defaultValue, String description) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        String in(Properties p) {
            String v = p.getProperty(key);
            return v == null || v.isBlank() ? defaultValue : v.trim();
        }

        DriverPropertyInfo info(Properties p) {
            DriverPropertyInfo i = new DriverPropertyInfo(key, in(p));
            i.description = description;
            return i;
        }

        private static String seconds(Duration d) {
            return d.toSeconds() + "s";
        }
    }

    /** @throws IllegalArgumentException naming the property that is wrong */
    static DriverOptions parse(Properties p) {
        String cache = Property.CACHE_SIZE.in(p);
        S3Options s3 = S3Options.defaults()
                .withRetries(count(p, Property.S3_MAX_ATTEMPTS), duration(p, Property.S3_REQUEST_TIMEOUT))
                .withAttemptTimeout(duration(p, Property.S3_ATTEMPT_TIMEOUT))
                .withMaxConcurrency(count(p, Property.S3_MAX_CONNECTIONS));
        HydrateMode hydrate;
        try {
            hydrate = HydrateMode.parse(Property.HYDRATE.in(p));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Property.HYDRATE.key + " '" + Property.HYDRATE.in(p) + "' must be auto, on or off");
        }
        return new DriverOptions(duration(p, Property.POLL_INTERVAL), cache == null ? null : bytes(cache), hydrate,
                duration(p, Property.READ_TIMEOUT), duration(p, Property.OPEN_TIMEOUT), s3);
    }

    /** What makes two connections to one replica URL share its served database: all but the cache size. */
    String servingKey() {
        return String.join("\n", poll.toString(), hydrate.name(), readTimeout.toString(), openTimeout.toString(),
                s3.maxAttempts() + "", s3.attemptTimeout().toString(), s3.deadline().toString(), s3.maxConcurrency() + "");
    }

    static DriverPropertyInfo[] info(Properties info) {
        Properties p = info == null ? new Properties() : info;
        Property[] all = Property.values();
        DriverPropertyInfo[] out = new DriverPropertyInfo[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i].info(p);
        }
        return out;
    }

    private static int count(Properties p, Property property) {
        String v = property.in(p);
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(property.key + " '" + v + "' is not a whole number of at least 1");
    }

    /** {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT1S}); positive. */
    private static Duration duration(Properties p, Property property) {
        String text = property.in(p);
        String t = text.toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            } else {
                d = Duration.parse(text);
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(property.key + " '" + text + "' is not a positive duration like 500ms, 1s or 2m");
        }
        return d;
    }

    /** {@code 256M}, {@code 1G}, {@code 65536}: bytes with an optional K, M or G. */
    private static long bytes(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        int shift = t.endsWith("K") ? 10 : t.endsWith("M") ? 20 : t.endsWith("G") ? 30 : 0;
        long n;
        try {
            n = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1).trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n <= 0 || n >= 1L << (62 - shift)) {
            throw new IllegalArgumentException(Property.CACHE_SIZE.key + " '" + text + "' is not a size like 64M or 1G");
        }
        // The pages are on the heap: a larger cache would end in an OutOfMemoryError, not in a faster tool.
        long heap = Runtime.getRuntime().maxMemory();
        if (n << shift > heap) {
            throw new IllegalArgumentException(Property.CACHE_SIZE.key + " '" + text + "' is more than this JVM's heap ("
                    + (heap >> 20) + "M)");
        }
        return n << shift;
    }
}
