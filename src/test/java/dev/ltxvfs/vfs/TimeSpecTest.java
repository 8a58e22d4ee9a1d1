package dev.ltxvfs.vfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeSpecTest {
    static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void rfc3339WithOrWithoutFractionAndOffset() {
        assertThat(TimeSpec.parse("2026-05-01T10:00:00Z", NOW)).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(TimeSpec.parse("2026-05-01T10:00:00.250Z", NOW)).isEqualTo(Instant.parse("2026-05-01T10:00:00.250Z"));
        assertThat(TimeSpec.parse("2026-05-01T12:00:00+02:00", NOW)).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(TimeSpec.parse("2026-05-01 10:00:00Z", NOW)).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        // No offset: UTC.
        assertThat(TimeSpec.parse("2026-05-01T10:00:00", NOW)).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(TimeSpec.parse("2026-05-01T10:00:00.5", NOW)).isEqualTo(Instant.parse("2026-05-01T10:00:00.500Z"));
    }

    @Test
    void relativePhrases() {
        assertThat(TimeSpec.parse("5 minutes ago", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
        assertThat(TimeSpec.parse("90 seconds ago", NOW)).isEqualTo(NOW.minusSeconds(90));
        assertThat(TimeSpec.parse("2 HOURS AGO", NOW)).isEqualTo(NOW.minus(Duration.ofHours(2)));
        assertThat(TimeSpec.parse("3 days ago", NOW)).isEqualTo(NOW.minus(Duration.ofDays(3)));
        assertThat(TimeSpec.parse("yesterday", NOW)).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(TimeSpec.parse("an hour ago", NOW)).isEqualTo(NOW.minus(Duration.ofHours(1)));
    }

    @Test
    void anythingElseIsAClearError() {
        assertThatThrownBy(() -> TimeSpec.parse("last tuesday-ish", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid time 'last tuesday-ish'")
                .hasMessageContaining("5 minutes ago");
    }
}
