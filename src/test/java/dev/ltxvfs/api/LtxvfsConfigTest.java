package dev.ltxvfs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ltxvfs.store.S3Options;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every setting works from environment variables as the README shows them (no Quarkus start needed). */
class LtxvfsConfigTest {

    static LtxvfsConfig config(Map<String, String> env, Map<String, String> props) {
        SmallRyeConfig c = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new PropertiesConfigSource(props, "test", 400))
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(LtxvfsConfig.class)
                .withDefaultValue("user.home", "/home/test")
                .build();
        return c.getConfigMapping(LtxvfsConfig.class);
    }

    @Test
    void environmentVariablesNameDatabasesAndLimits() {
        LtxvfsConfig c = config(Map.of(
                "LTXVFS_DATABASES_ORDERS_REPLICA_URL", "s3://bucket/orders?region=eu-west-1",
                "LTXVFS_DATABASES_ORDERS_POLL_INTERVAL", "5s",
                "LTXVFS_DATABASES_DEMO2_REPLICA_URL", "file:///var/replica",
                "LTXVFS_WORKERS_SIZE", "3",
                "LTXVFS_WORKERS_QUEUE", "7",
                "LTXVFS_QUERY_TIMEOUT", "250ms",
                "LTXVFS_QUERY_MAX_ROWS", "42",
                "LTXVFS_CACHE_MAX_SIZE", "64M",
                "LTXVFS_AUTH_TOKENS_CI_SECRET", "s3cret",
                "LTXVFS_AUTH_TOKENS_CI_DATABASES", "orders,demo2"), Map.of());
        assertThat(c.databases()).containsOnlyKeys("orders", "demo2");
        assertThat(c.databases().get("orders").replicaUrl()).isEqualTo("s3://bucket/orders?region=eu-west-1");
        assertThat(c.databases().get("orders").pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.databases().get("demo2").pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.workers().size()).isEqualTo(3);
        assertThat(c.workers().queue()).isEqualTo(7);
        assertThat(c.query().timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.query().maxRows()).isEqualTo(42);
        assertThat(c.cache().maxSize()).map(MemorySize::asLongValue).contains(64L << 20);
        assertThat(c.auth().tokens().get("ci").secret()).isEqualTo("s3cret");
        assertThat(c.auth().tokens().get("ci").databases()).contains(List.of("orders", "demo2"));
    }

    @Test
    void defaultsWithNothingConfigured() {
        LtxvfsConfig c = config(Map.of(), Map.of());
        assertThat(c.databases()).isEmpty();
        assertThat(c.demo().enabled()).isTrue();
        assertThat(c.demo().dir().toString()).isEqualTo("/home/test/.ltxvfs/demo");
        assertThat(c.auth().tokens()).isEmpty();
        assertThat(c.query().maxBytes().asLongValue()).isEqualTo(16L << 20);
    }

    @Test
    void hydrateIsSetPerDatabaseAndPerCatalog() {
        LtxvfsConfig c = config(Map.of(
                "LTXVFS_DATABASES_ORDERS_REPLICA_URL", "file:///x",
                "LTXVFS_DATABASES_BIG_REPLICA_URL", "file:///y",
                "LTXVFS_DATABASES_BIG_HYDRATE", "off",
                "LTXVFS_CATALOGS_TENANTS_REPLICA_URL", "s3://bucket/tenants",
                "LTXVFS_CATALOGS_TENANTS_HYDRATE", "on",
                "LTXVFS_CATALOGS_ARCHIVE_REPLICA_URL", "s3://bucket/archive"), Map.of());
        assertThat(c.databases().get("orders").hydrate()).isEqualTo(dev.ltxvfs.cache.HydrateMode.AUTO);
        assertThat(c.databases().get("big").hydrate()).isEqualTo(dev.ltxvfs.cache.HydrateMode.OFF);
        assertThat(c.catalogs().get("tenants").hydrate()).isEqualTo(dev.ltxvfs.cache.HydrateMode.ON);
        assertThat(c.catalogs().get("archive").hydrate()).isEqualTo(dev.ltxvfs.cache.HydrateMode.AUTO);
    }

    @Test
    void systemPropertiesWork() {
        LtxvfsConfig c = config(Map.of(), Map.of("ltxvfs.databases.orders.replica-url", "file:///x",
                "ltxvfs.databases.\"my.db\".replica-url", "file:///y"));
        assertThat(c.databases().get("orders").replicaUrl()).isEqualTo("file:///x");
        assertThat(c.databases().get("my.db").replicaUrl()).isEqualTo("file:///y");
    }

    @Test
    void s3RequestSettingsBecomeTheStoresOptions() {
        var defaults = Databases.s3Options(config(Map.of(), Map.of()));
        assertThat(defaults).isEqualTo(S3Options.defaults());

        var tuned = Databases.s3Options(config(Map.of(
                "LTXVFS_STORAGE_S3_MAX_ATTEMPTS", "5",
                "LTXVFS_STORAGE_S3_ATTEMPT_TIMEOUT", "2s",
                "LTXVFS_STORAGE_S3_REQUEST_TIMEOUT", "30s",
                "LTXVFS_STORAGE_S3_INITIAL_BACKOFF", "20ms",
                "LTXVFS_STORAGE_S3_MAX_BACKOFF", "1s",
                "LTXVFS_STORAGE_S3_MAX_CONNECTIONS", "16"), Map.of()));
        assertThat(tuned.maxAttempts()).isEqualTo(5);
        assertThat(tuned.attemptTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(tuned.deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(tuned.initialBackoff()).isEqualTo(Duration.ofMillis(20));
        assertThat(tuned.maxBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(tuned.maxConcurrency()).isEqualTo(16);

        LtxvfsConfig bad = config(Map.of("LTXVFS_STORAGE_S3_MAX_ATTEMPTS", "0"), Map.of());
        assertThatThrownBy(() -> Databases.s3Options(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ltxvfs.storage.s3: maxAttempts must be >= 1: 0");
    }
}
