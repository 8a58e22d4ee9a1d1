package dev.ltxvfs.testing;

import io.smallrye.mutiny.Uni;
import java.time.Duration;

/** Test helpers for {@link Uni}: {@code await()} wraps checked failures, these hand back the failure itself. */
public final class Unis {
    public static final Duration WAIT = Duration.ofSeconds(60);

    private Unis() {}

    /** The failure {@code uni} ends with; an {@link AssertionError} if it succeeds instead. */
    public static Throwable failure(Uni<?> uni) {
        Object[] item = new Object[1];
        Throwable t = uni.onItem().invoke(v -> item[0] = v)
                .map(v -> (Throwable) null)
                .onFailure().recoverWithItem(e -> e)
                .await().atMost(WAIT);
        if (t == null) throw new AssertionError("expected a failure, got " + item[0]);
        return t;
    }
}
