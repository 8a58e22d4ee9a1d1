package dev.ltxvfs.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** One worker, a queue of one, a 2 s query timeout, 4 MiB of temp files and bearer tokens: the limits, in one restart. */
public class LimitsProfile implements QuarkusTestProfile {
    static final String FULL = "full-token-123";
    static final String LOCAL_ONLY = "local-only-456";
    /** Limited to the catalog "tenants": every database in it. */
    static final String TENANTS_ONLY = "tenants-only-789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ltxvfs.auth.tokens.tenants.secret", TENANTS_ONLY,
                "ltxvfs.auth.tokens.tenants.databases", "tenants",
                "ltxvfs.workers.size", "1",
                "ltxvfs.workers.queue", "1",
                "ltxvfs.query.timeout", "2s",
                "ltxvfs.query.max-bytes", "64K",
                "ltxvfs.query.max-temp-bytes", "4M",
                "ltxvfs.auth.tokens.ops.secret", FULL,
                "ltxvfs.auth.tokens.reader.secret", LOCAL_ONLY,
                "ltxvfs.auth.tokens.reader.databases", "local");
    }
}
