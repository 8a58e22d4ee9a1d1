package dev.ltxvfs.vfs;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the times {@code PRAGMA litestream_time} takes: RFC 3339 (with or without fraction and
 * offset; {@code Z} or {@code +02:00}; none means UTC), or a relative phrase such as {@code 5 minutes ago},
 * {@code 90 seconds ago}, {@code an hour ago}, {@code 3 days ago}, {@code yesterday}.
 */
public final class TimeSpec {
    private static final Pattern RELATIVE = Pattern.compile(
            "(\\d+|an?|one)\\s+(second|sec|minute|min|hour|hr|day|week)s?\\s+ago");

    private TimeSpec() {}

    /** The instant {@code text} names, relative phrases taken from {@code now}. */
    public static Instant parse(String text, Instant now) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.equals("now")) {
            return now;
        }
        if (lower.equals("yesterday")) {
            return now.minus(Duration.ofDays(1));
        }
        Matcher m = RELATIVE.matcher(lower.replaceAll("\\s+", " "));
        if (m.matches()) {
            long n = switch (m.group(1)) {
                case "a", "an", "one" -> 1;
                default -> Long.parseLong(m.group(1));
            };
            ChronoUnit unit = switch (m.group(2)) {
                case "second", "sec" -> ChronoUnit.SECONDS;
                case "minute", "min" -> ChronoUnit.MINUTES;
                case "hour", "hr" -> ChronoUnit.HOURS;
                case "day" -> ChronoUnit.DAYS;
                default -> ChronoUnit.WEEKS;
            };
            return now.minus(Duration.of(n, unit == ChronoUnit.WEEKS ? ChronoUnit.DAYS : unit)
                    .multipliedBy(unit == ChronoUnit.WEEKS ? 7 : 1));
        }
        try {
            // RFC 3339 allows a space for the T separator.
            String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.substring(0, 10) + 'T' + t.substring(11) : t;
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException noOffset) {
                // Without an offset the time is UTC, as the Litestream VFS converts every time to UTC.
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("invalid time '" + text + "': expected RFC 3339 (e.g. "
                    + "2026-05-01T12:00:00Z), a phrase like '5 minutes ago', or 'latest'");
        }
    }
}
