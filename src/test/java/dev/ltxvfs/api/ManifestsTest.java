package dev.ltxvfs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The manifests in k8s/ agree with the code: every LTXVFS_* variable is a property of
 * {@link LtxvfsConfig} (as SmallRye maps environment names), probes and port are the ones the
 * service serves, the image is the build's, concurrency matches the worker pool, memory fits the cache.
 */
class ManifestsTest {
    static final Path K8S = Path.of("k8s");
    /** Variables the AWS SDK reads (default credential chain and region). */
    static final List<String> AWS_VARIABLES = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Every document of every manifest, by kind (Service for Knative's serving.knative.dev Service). */
    static Map<String, List<JsonNode>> documents() throws Exception {
        Map<String, List<JsonNode>> byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = YAML.getFactory().createParser(f.toFile())) {
                    for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
                        JsonNode doc = it.next();
                        String kind = doc.get("apiVersion").asText().startsWith("serving.knative.dev")
                                ? "KnativeService" : doc.get("kind").asText();
                        byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(doc);
                    }
                }
            }
        }
        return byKind;
    }

    static JsonNode only(String kind) throws Exception {
        List<JsonNode> docs = documents().get(kind);
        assertThat(docs).as(kind).hasSize(1);
        return docs.getFirst();
    }

    /** The ltxvfs containers: the Knative Service's and the Deployment's. */
    static List<JsonNode> containers() throws Exception {
        return List.of(only("KnativeService").at("/spec/template/spec/containers/0"),
                only("Deployment").at("/spec/template/spec/containers/0"));
    }

    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.get("env").forEach(e -> env.put(e.get("name").asText(), e.has("value") ? e.get("value").asText() : null));
        return env;
    }

    static Properties applicationProperties() throws Exception {
        Properties p = new Properties();
        try (InputStream in = ManifestsTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            p.load(in);
        }
        return p;
    }

    // ---- the configuration's property names, from the @ConfigMapping interface ----

    /** Every property name of the mapping, map keys as {@code *}: ltxvfs.databases.*.replica-url, ... */
    static List<String> propertyNames(Class<?> mapping) {
        List<String> out = new ArrayList<>();
        walk(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, out);
        return out;
    }

    private static void walk(String prefix, Class<?> group, List<String> out) {
        for (Method m : group.getMethods()) {
            if (m.getParameterCount() > 0 || m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
            Type t = m.getGenericReturnType();
            if (raw(t) == Optional.class) {
                t = arg(t, 0);
            }
            if (raw(t) == Map.class) {
                name += ".*";
                t = arg(t, 1);
            }
            if (raw(t).isInterface() && raw(t).getName().startsWith("dev.ltxvfs.")) {
                walk(name, raw(t), out);
            } else {
                out.add(name);
            }
        }
    }

    private static Class<?> raw(Type t) {
        return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
    }

    private static Type arg(Type t, int i) {
        return ((ParameterizedType) t).getActualTypeArguments()[i];
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** SmallRye's environment name of a property: upper case, every other character '_'; keys are letters and digits. */
    static Pattern environmentName(String property) {
        StringBuilder re = new StringBuilder();
        for (String part : property.split("\\.")) {
            if (!re.isEmpty()) {
                re.append('_');
            }
            re.append(part.equals("*") ? "[A-Z0-9]+" : Pattern.quote(part.toUpperCase().replaceAll("[^A-Z0-9]", "_")));
        }
        return Pattern.compile(re.toString());
    }

    @Test
    void theConfigurationIsWalkedCompletely() {
        assertThat(propertyNames(LtxvfsConfig.class)).contains(
                "ltxvfs.databases.*.replica-url", "ltxvfs.databases.*.poll-interval", "ltxvfs.cache.max-size",
                "ltxvfs.workers.size", "ltxvfs.auth.tokens.*.secret", "ltxvfs.auth.tokens.*.databases");
        assertThat(environmentName("ltxvfs.databases.*.replica-url").matcher("LTXVFS_DATABASES_ORDERS_REPLICA_URL").matches()).isTrue();
        assertThat(environmentName("ltxvfs.databases.*.replica-url").matcher("LTXVFS_DATABASES_ORDERS_REPLICA").matches()).isFalse();
    }

    @Test
    void everyEnvironmentVariableIsARealSetting() throws Exception {
        List<Pattern> settings = propertyNames(LtxvfsConfig.class).stream().map(ManifestsTest::environmentName).toList();
        for (JsonNode c : containers()) {
            assertThat(env(c)).containsKey("LTXVFS_DATABASES_ORDERS_REPLICA_URL");
            for (String name : env(c).keySet()) {
                boolean known = AWS_VARIABLES.contains(name) || settings.stream().anyMatch(p -> p.matcher(name).matches());
                assertThat(known).as(name + " names an ltxvfs setting or an AWS SDK variable").isTrue();
            }
        }
    }

    @Test
    void credentialsComeFromTheExampleSecret() throws Exception {
        JsonNode secret = only("Secret");
        for (JsonNode c : containers()) {
            List<String> fromSecret = new ArrayList<>();
            for (JsonNode e : c.get("env")) {
                JsonNode ref = e.at("/valueFrom/secretKeyRef");
                if (!ref.isMissingNode()) {
                    assertThat(ref.get("name").asText()).isEqualTo(secret.at("/metadata/name").asText());
                    assertThat(secret.get("stringData").has(ref.get("key").asText())).as(ref.get("key").asText()).isTrue();
                    fromSecret.add(e.get("name").asText());
                }
            }
            assertThat(fromSecret).contains("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        }
    }

    @Test
    void probesAndPortAreTheOnesTheServiceServes() throws Exception {
        Properties app = applicationProperties();
        int port = Integer.parseInt(app.getProperty("quarkus.http.port"));
        String health = "/" + app.getProperty("quarkus.http.non-application-root-path", "q") + "/"
                + app.getProperty("quarkus.smallrye-health.root-path", "health");
        for (JsonNode c : containers()) {
            assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(port);
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo(health + "/ready");
            assertThat(c.at("/readinessProbe/httpGet/port").asInt()).isEqualTo(port);
            assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo(health + "/live");
            assertThat(c.at("/livenessProbe/httpGet/port").asInt()).isEqualTo(port);
        }
        assertThat(only("Service").at("/spec/ports/0/targetPort").asInt()).isEqualTo(port);
    }

    @Test
    void theImageIsTheBuildsImage() throws Exception {
        Matcher m = Pattern.compile("<container.image>([^<]+)</container.image>").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).as("container.image in pom.xml").isTrue();
        for (JsonNode c : containers()) {
            assertThat(c.get("image").asText()).startsWith(m.group(1) + ":");
        }
    }

    @Test
    void knativeScalesToZeroAndAdmitsOneRequestPerWorker() throws Exception {
        JsonNode ksvc = only("KnativeService");
        assertThat(ksvc.at("/spec/template/metadata/annotations").get("autoscaling.knative.dev/min-scale").asText()).isEqualTo("0");
        int workers = Integer.parseInt(env(ksvc.at("/spec/template/spec/containers/0")).get("LTXVFS_WORKERS_SIZE"));
        assertThat(ksvc.at("/spec/template/spec/containerConcurrency").asInt()).isEqualTo(workers);
    }

    @Test
    void memoryFitsTheCacheAndShutdownFitsTheGracePeriod() throws Exception {
        for (JsonNode c : containers()) {
            long cache = new MemorySizeConverter().convert(env(c).get("LTXVFS_CACHE_MAX_SIZE")).asLongValue();
            long request = quantity(c.at("/resources/requests/memory").asText());
            long limit = quantity(c.at("/resources/limits/memory").asText());
            assertThat(request).isLessThanOrEqualTo(limit);
            // The JVM image gives 75 % of the limit to the heap; the cache lives there beside queries.
            assertThat(limit * 3 / 4).isGreaterThanOrEqualTo(cache + (256L << 20));
        }
        Duration shutdown = Duration.parse("PT" + applicationProperties().getProperty("quarkus.shutdown.timeout").toUpperCase());
        assertThat(only("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asLong())
                .isGreaterThan(shutdown.toSeconds());
    }

    /** A Kubernetes memory quantity (Mi, Gi, M, G or bytes). */
    static long quantity(String q) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?").matcher(q);
        assertThat(m.matches()).as(q).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "k" -> n * 1000;
            case "M" -> n * 1000_000;
            case "G" -> n * 1000_000_000;
            default -> n;
        };
    }
}
