package dev.ltxvfs.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a replica lives, in the URL forms Litestream accepts:
 * <ul>
 *   <li>{@code file:///abs/dir}: a directory holding {@code ltx/<level>/...}</li>
 *   <li>{@code s3://bucket/path?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true}:
 *       keys {@code <path>/<level %04x>/...}. {@code force-path-style} is accepted too. Path style is
 *       the default when an endpoint is given (S3-compatible servers rarely have per-bucket DNS);
 *       the region defaults to {@code us-east-1}.</li>
 * </ul>
 * Credentials never appear in the URL (they come from the AWS environment), so {@link #toString()}
 * is safe to log.
 */
public final class ReplicaUrl {
    public static final String DEFAULT_REGION = "us-east-1";

    public enum Scheme { FILE, S3 }

    private final Scheme scheme;
    private final Path directory;
    private final String bucket;
    private final String path;
    private final URI endpoint;
    private final String region;
    private final boolean regionGiven;
    private final boolean forcePathStyle;

    private ReplicaUrl(Scheme scheme, Path directory, String bucket, String path, URI endpoint,
                       String region, boolean regionGiven, boolean forcePathStyle) {
        this.scheme = scheme;
        this.directory = directory;
        this.bucket = bucket;
        this.path = path;
        this.endpoint = endpoint;
        this.region = region;
        this.regionGiven = regionGiven;
        this.forcePathStyle = forcePathStyle;
    }

    /** Parses {@code url}; an {@link IllegalArgumentException} says what is wrong with it. */
    public static ReplicaUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("replica URL is empty: expected file:///dir or s3://bucket/path");
        }
        String u = url.strip();
        int colon = u.indexOf(':');
        String scheme = colon < 0 ? "" : u.substring(0, colon).toLowerCase();
        return switch (scheme) {
            case "file" -> parseFile(u);
            case "s3" -> parseS3(u);
            default -> throw new IllegalArgumentException("unsupported replica URL '" + redact(u)
                    + "': expected file:///absolute/dir or s3://bucket/path");
        };
    }

    public static ReplicaUrl file(Path directory) {
        if (!directory.isAbsolute()) {
            throw new IllegalArgumentException("replica directory must be absolute: " + directory);
        }
        return new ReplicaUrl(Scheme.FILE, directory.normalize(), null, null, null, null, false, false);
    }

    private static ReplicaUrl parseFile(String u) {
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad file replica URL '" + u + "': " + e.getMessage());
        }
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException("bad file replica URL '" + u + "': it names a host ("
                    + uri.getRawAuthority() + "); use file:///absolute/dir");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("bad file replica URL '" + u + "': no query or fragment allowed");
        }
        String p = uri.getPath();
        if (p == null || !p.startsWith("/")) {
            throw new IllegalArgumentException("bad file replica URL '" + u + "': the directory must be absolute, as in file:///var/lib/replica");
        }
        return file(Path.of(p));
    }

    private static ReplicaUrl parseS3(String u) {
        String rest = u.substring("s3:".length());
        if (!rest.startsWith("//")) {
            throw new IllegalArgumentException("bad S3 replica URL '" + redact(u) + "': expected s3://bucket/path");
        }
        rest = rest.substring(2);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.contains("@")) {
            throw new IllegalArgumentException("bad S3 replica URL '" + redact(u)
                    + "': credentials do not belong in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("bad S3 replica URL '" + u + "': the bucket is missing, as in s3://bucket/path");
        }
        if (!bucket.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("bad S3 replica URL '" + u + "': '" + bucket + "' is not a bucket name");
        }
        path = decode(stripSlashes(path), u);

        Map<String, String> params = queryParams(query, u);
        URI endpoint = null;
        String region = DEFAULT_REGION;
        boolean regionGiven = false;
        Boolean pathStyle = null;
        for (var e : params.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "endpoint" -> endpoint = endpoint(v, u);
                case "region" -> {
                    if (v.isBlank()) throw new IllegalArgumentException("bad S3 replica URL '" + u + "': region is empty");
                    region = v;
                    regionGiven = true;
                }
                case "forcePathStyle", "force-path-style" -> pathStyle = bool(e.getKey(), v, u);
                default -> throw new IllegalArgumentException("bad S3 replica URL '" + u + "': unknown parameter '"
                        + e.getKey() + "' (supported: endpoint, region, forcePathStyle or force-path-style)");
            }
        }
        boolean forcePathStyle = pathStyle != null ? pathStyle : endpoint != null;
        return new ReplicaUrl(Scheme.S3, null, bucket, path, endpoint, region, regionGiven, forcePathStyle);
    }

    private static URI endpoint(String v, String u) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("bad S3 replica URL '" + u + "': endpoint is empty");
        }
        // Litestream assumes https when the endpoint has no scheme; so do we.
        String withScheme = v.contains("://") ? v : "https://" + v;
        try {
            URI e = new URI(withScheme);
            if (!("http".equals(e.getScheme()) || "https".equals(e.getScheme())) || e.getHost() == null) {
                throw new IllegalArgumentException("bad S3 replica URL '" + u + "': endpoint '" + v
                        + "' must be http(s)://host[:port]");
            }
            if (e.getRawUserInfo() != null) {
                throw new IllegalArgumentException("bad S3 replica URL '" + redact(u)
                        + "': credentials do not belong in the endpoint; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
            }
            return e;
        } catch (URISyntaxException ex) {
            throw new IllegalArgumentException("bad S3 replica URL '" + u + "': endpoint '" + v + "': " + ex.getMessage());
        }
    }

    private static boolean bool(String name, String v, String u) {
        return switch (v.toLowerCase()) {
            case "true", "1", "" -> true;
            case "false", "0" -> false;
            default -> throw new IllegalArgumentException("bad S3 replica URL '" + u + "': " + name
                    + " must be true or false, not '" + v + "'");
        };
    }

    private static Map<String, String> queryParams(String query, String u) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String part : query.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String k = decode(eq < 0 ? part : part.substring(0, eq), u);
            String v = eq < 0 ? "" : decode(part.substring(eq + 1), u);
            if (params.put(k, v) != null) {
                throw new IllegalArgumentException("bad S3 replica URL '" + u + "': parameter '" + k + "' given twice");
            }
        }
        return params;
    }

    private static String decode(String s, String u) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad replica URL '" + u + "': " + e.getMessage());
        }
    }

    private static String stripSlashes(String p) {
        int a = 0, b = p.length();
        while (a < b && p.charAt(a) == '/') a++;
        while (b > a && p.charAt(b - 1) == '/') b--;
        return p.substring(a, b);
    }

    // A URL with user info may hold a secret: keep it out of error messages.
    private static String redact(String u) {
        return u.replaceFirst("//[^/@?]*@", "//***@");
    }

    /** The URL of {@code folder} directly under this one (a catalog's database). */
    public ReplicaUrl child(String folder) {
        return scheme == Scheme.FILE ? file(directory.resolve(folder))
                : new ReplicaUrl(Scheme.S3, null, bucket, path.isEmpty() ? folder : path + "/" + folder, endpoint, region,
                        regionGiven, forcePathStyle);
    }

    public Scheme scheme() { return scheme; }

    public boolean isFile() { return scheme == Scheme.FILE; }

    public boolean isS3() { return scheme == Scheme.S3; }

    /** The replica directory of a {@code file://} URL. */
    public Path directory() { return require(Scheme.FILE, directory); }

    public String bucket() { return require(Scheme.S3, bucket); }

    /** The key prefix without leading or trailing slashes; empty for the bucket root. */
    public String path() { return require(Scheme.S3, path); }

    public Optional<URI> endpoint() { return Optional.ofNullable(endpoint); }

    public String region() { return require(Scheme.S3, region); }

    /** Whether the region was given in the URL rather than defaulted. */
    public boolean regionGiven() { return regionGiven; }

    public boolean forcePathStyle() { return forcePathStyle; }

    private <T> T require(Scheme s, T value) {
        if (scheme != s) {
            throw new IllegalStateException(this + " is not a " + s.name().toLowerCase() + " replica URL");
        }
        return value;
    }

    @Override
    public String toString() {
        if (scheme == Scheme.FILE) {
            return "file://" + directory;
        }
        StringBuilder sb = new StringBuilder("s3://").append(bucket).append('/').append(path);
        String sep = "?";
        if (endpoint != null) {
            sb.append(sep).append("endpoint=").append(endpoint);
            sep = "&";
        }
        sb.append(sep).append("region=").append(region);
        sb.append("&forcePathStyle=").append(forcePathStyle);
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaUrl r && toString().equals(r.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
