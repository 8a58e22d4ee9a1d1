package dev.ltxvfs.api.console;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The service as the console meets it in production: a bearer token configured, the shop replica served. */
public class ConsoleProfile implements QuarkusTestProfile {
    static final String TOKEN = "console-token-789";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ltxvfs.auth.tokens.console.secret", TOKEN);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ShopReplica.class));
    }
}
