package dev.ltxvfs.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Two databases whose storage fails from the start: {@code refused} (nothing listens on its port)
 * and {@code silent} (a socket that accepts connections and never answers), with a 2 s open timeout
 * and two attempts per S3 request.
 */
public class UnreachableReplicaProfile implements QuarkusTestProfile {
    static final String OPEN_TIMEOUT = "2s";
    /** Never accepted: connections wait in its backlog, requests are never read. */
    static final ServerSocket SILENT;
    static final int CLOSED_PORT;

    static {
        try {
            SILENT = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                CLOSED_PORT = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ltxvfs.databases.refused.replica-url", "s3://bucket/db?endpoint=http://127.0.0.1:" + CLOSED_PORT,
                "ltxvfs.databases.silent.replica-url", "s3://bucket/db?endpoint=http://127.0.0.1:" + SILENT.getLocalPort(),
                "ltxvfs.storage.open-timeout", OPEN_TIMEOUT,
                "ltxvfs.storage.s3.max-attempts", "2");
    }
}
