package dev.ltxvfs.api;

import dev.ltxvfs.cache.HydrateMode;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the service reads from configuration, prefix {@code ltxvfs}: application.properties,
 * {@code -D} system properties, or environment variables ({@code LTXVFS_DATABASES_ORDERS_REPLICA_URL}).
 */
@ConfigMapping(prefix = "ltxvfs")
public interface LtxvfsConfig {

    /** Databases by name: {@code ltxvfs.databases.<name>.replica-url}. They stay open; they win a name clash with a catalog. */
    Map<String, Database> databases();

    interface Database {
        /** {@code file:///dir} or {@code s3://bucket/path?endpoint=...&region=...&forcePathStyle=true}. */
        String replicaUrl();

        /** How often level 0 is polled for new transactions. */
        @WithDefault("1s")
        Duration pollInterval();

        /** {@code background}: every interval; {@code on-demand}: when a read starts and the last poll is older. */
        @WithDefault("background")
        PollMode poll();

        /**
         * Read the whole database into the cache once its index is built: auto (when it fits in half
         * the cache, else only its hot set: page 1, the schema, interior b-tree pages), on, off.
         */
        @WithDefault("auto")
        HydrateMode hydrate();
    }

    /** When a database looks for new transactions. */
    enum PollMode { BACKGROUND, ON_DEMAND }

    /**
     * Catalogs by name: {@code ltxvfs.catalogs.<catalog>.replica-url = s3://bucket/tenants}. Every
     * folder directly under it that holds a replica is a database named after the folder, opened
     * on first use and closed when idle. Catalogs are searched in the order of their names.
     */
    Map<String, Catalog> catalogs();

    interface Catalog {
        /** A folder of replicas: {@code s3://bucket/prefix?...} or {@code file:///dir}. */
        String replicaUrl();

        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("on-demand")
        PollMode poll();

        /** As a database's {@code hydrate}, for each of the catalog's databases when it opens. */
        @WithDefault("auto")
        HydrateMode hydrate();
    }

    /** A catalog's database unused this long closes (its index, poll and connections go). */
    @WithDefault("10m")
    Duration idleClose();

    /** Most catalog databases open at once; the least recently used closes first. */
    @WithDefault("1000")
    int maxOpen();

    /** Longest an on-demand poll holds up the read that started it; then the read uses the state it has. */
    @WithDefault("5s")
    Duration pollWait();

    Cache cache();

    interface Cache {
        /** Bytes of decompressed pages kept, shared by all databases; default a quarter of the heap. */
        Optional<MemorySize> maxSize();

        /** The largest window sequential readahead grows to (from 64 KiB, doubling). */
        @WithDefault("8M")
        MemorySize readaheadMax();

        /** Readahead bytes each database may have in flight. */
        @WithDefault("32M")
        MemorySize readaheadBudget();
    }

    Workers workers();

    interface Workers {
        /** Threads that run SQLite; a page miss blocks one while its GET is in flight. */
        @WithDefault("8")
        int size();

        /** Queries waiting for a worker before new ones get 503. */
        @WithDefault("64")
        int queue();
    }

    Query query();

    interface Query {
        /** A query running longer is interrupted and answers 504. */
        @WithDefault("30s")
        Duration timeout();

        /** Most rows in one JSON answer (a request may ask for fewer). */
        @WithDefault("10000")
        int maxRows();

        /**
         * Most bytes of values in one JSON answer; past it the answer is truncated. A single value
         * or row past it fails (SQLite's SQLITE_LIMIT_LENGTH and a size check before copying).
         */
        @WithDefault("16M")
        MemorySize maxBytes();

        /**
         * Most bytes of local temporary files (sorts, GROUP BY, DISTINCT, temp b-trees) one query may
         * hold at once; past it the query fails (422). Their memory is SQLite's cache_size (2 MB) each.
         */
        @WithDefault("128M")
        MemorySize maxTempBytes();
    }

    Libsql libsql();

    interface Libsql {
        /** A libSQL stream with no request for this long is closed; its baton then answers STREAM_EXPIRED. */
        @WithDefault("10s")
        Duration streamIdleTimeout();

        /** Most libSQL streams open at once on one instance; past it a new stream answers 503. */
        @WithDefault("128")
        int maxStreams();

        /**
         * The key that signs batons. Give every instance the same one, so a stream's next request
         * may land on any of them; without it each process makes up its own.
         */
        Optional<String> batonSecret();
    }

    Storage storage();

    interface Storage {
        /** A page read that takes longer fails with an I/O error naming the object. */
        @WithDefault("20s")
        Duration readTimeout();

        /** How long a query waits for a database's first index. */
        @WithDefault("60s")
        Duration openTimeout();

        /** How S3 requests are retried and bounded: {@code ltxvfs.storage.s3.*}. */
        S3 s3();

        interface S3 {
            /** Tries per request, the first included; network errors, 5xx and throttling are retried. */
            @WithDefault("3")
            int maxAttempts();

            /** An attempt with no answer by then is abandoned (and retried while attempts and time are left). */
            @WithDefault("5s")
            Duration attemptTimeout();

            /** A request, its attempts and the pauses between them included, fails by then at the latest. */
            @WithDefault("10s")
            Duration requestTimeout();

            /** The pause before the first retry; it doubles per retry (with jitter) up to {@code max-backoff}. */
            @WithDefault("100ms")
            Duration initialBackoff();

            /** The longest pause between attempts. */
            @WithDefault("2s")
            Duration maxBackoff();

            /** Open connections per endpoint at most, shared by every database on it. */
            @WithDefault("64")
            int maxConnections();
        }
    }

    Demo demo();

    interface Demo {
        /** With no database configured, serve the generated {@code demo} database. */
        @WithDefault("true")
        boolean enabled();

        /** Where the demo replica is written at first start. */
        @WithDefault("${user.home}/.ltxvfs/demo")
        Path dir();
    }

    Auth auth();

    interface Auth {
        /** Bearer tokens by name; with none configured the API is open. */
        Map<String, Token> tokens();

        interface Token {
            String secret();

            /** Databases this token may read; all when absent. */
            Optional<List<String>> databases();
        }
    }
}
