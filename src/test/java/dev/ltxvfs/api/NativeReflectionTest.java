package dev.ltxvfs.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ltxvfs.cache.CacheStats;
import dev.ltxvfs.sql.QueryResult;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every record of the API (all go through Jackson) is kept for reflection in the native image. */
class NativeReflectionTest {
    @Test
    void registersEveryRecordOfTheApi() throws Exception {
        List<Class<?>> targets = List.of(NativeReflection.class.getAnnotation(RegisterForReflection.class).targets());
        URI here = NativeReflection.class.getResource("NativeReflection.class").toURI();
        List<Class<?>> records;
        try (Stream<Path> files = Files.list(Path.of(here).getParent())) {
            records = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class"))
                    .<Class<?>>map(n -> load("dev.ltxvfs.api." + n.substring(0, n.length() - 6)))
                    .filter(Class::isRecord)
                    .toList();
        }
        assertThat(records).contains(ApiError.class, QueryBody.class);
        assertThat(targets).containsAll(records).contains(QueryResult.class, CacheStats.class);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, NativeReflectionTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
