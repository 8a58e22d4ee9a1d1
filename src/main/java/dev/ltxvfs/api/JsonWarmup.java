package dev.ltxvfs.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ltxvfs.sql.QueryResult;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Builds, at boot and on a thread of its own, what Jackson needs to read a query's body and write its
 * answer, on the mapper the REST layer uses: its first use builds the deserializer of
 * {@link QueryBody} and the serializers of {@link QueryResult} (reflection, one-time set-up), which took
 * 40-90 ms of a scale-to-zero start's first request on 2 cores when the request paid for it.
 */
@ApplicationScoped
class JsonWarmup {
    private static final Logger LOG = Logger.getLogger(JsonWarmup.class);
    /** A body with every kind of value a query's body holds. */
    static final String BODY = "{\"sql\": \"SELECT ?\", \"params\": [1, 2.5, \"a\", null, true, {\"base64\": \"AP8=\"}],"
            + " \"at\": \"latest\", \"maxRows\": 10}";

    void start(@Observes StartupEvent ev, Instance<ObjectMapper> mapper) {
        // The mapper is made on this thread too: Quarkus's producer runs its customizers.
        Thread.ofPlatform().name("ltxvfs-json-warmup").start(() -> {
            try {
                warm(mapper.get());
            } catch (IOException | RuntimeException e) {
                LOG.debugf("JSON warm-up failed (the first request builds what it needs): %s", e);
            }
        });
    }

    /** Reads {@link #BODY} and writes an answer with every kind of value one holds. */
    static void warm(ObjectMapper mapper) throws IOException {
        mapper.readValue(BODY, QueryBody.class);
        List<Object[]> rows = List.<Object[]>of(new Object[] {1, 9007199254740993L, 2.5, "a", null, new byte[] {0, -1}});
        mapper.writeValueAsBytes(new QueryResult(List.of("a", "b", "c", "d", "e", "f"), Arrays.asList("", "", "", "", "", ""),
                rows, "0000000000000001", "2026-01-01T00:00:00Z", false, 0));
    }
}
