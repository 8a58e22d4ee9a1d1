package dev.ltxvfs.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReplicaUrlTest {

    @Test
    void fileUrlNamesAnAbsoluteDirectory() {
        ReplicaUrl u = ReplicaUrl.parse("file:///var/lib/replicas/app/");
        assertThat(u.isFile()).isTrue();
        assertThat(u.directory()).isEqualTo(Path.of("/var/lib/replicas/app"));
        assertThat(u).hasToString("file:///var/lib/replicas/app");
        assertThat(ReplicaUrl.parse("file:///tmp/with%20space").directory()).isEqualTo(Path.of("/tmp/with space"));
    }

    @Test
    void s3UrlWithEndpointDefaultsToPathStyleAndUsEast1() {
        ReplicaUrl u = ReplicaUrl.parse("s3://my-bucket/dbs/app.db?endpoint=http://127.0.0.1:9000");
        assertThat(u.bucket()).isEqualTo("my-bucket");
        assertThat(u.path()).isEqualTo("dbs/app.db");
        assertThat(u.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(u.region()).isEqualTo("us-east-1");
        assertThat(u.regionGiven()).isFalse();
        assertThat(u.forcePathStyle()).isTrue();
        assertThat(u).hasToString("s3://my-bucket/dbs/app.db?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true");
    }

    @Test
    void s3UrlOnAwsUsesVirtualHostsUnlessAsked() {
        ReplicaUrl u = ReplicaUrl.parse("s3://bkt?region=eu-west-1");
        assertThat(u.path()).isEmpty();
        assertThat(u.endpoint()).isEmpty();
        assertThat(u.region()).isEqualTo("eu-west-1");
        assertThat(u.regionGiven()).isTrue();
        assertThat(u.forcePathStyle()).isFalse();
        assertThat(ReplicaUrl.parse("s3://bkt/x?force-path-style=true").forcePathStyle()).isTrue();
        assertThat(ReplicaUrl.parse("s3://bkt/x?endpoint=http://h:1&forcePathStyle=false").forcePathStyle()).isFalse();
    }

    @Test
    void endpointWithoutSchemeIsHttpsAsInLitestream() {
        assertThat(ReplicaUrl.parse("s3://b/p?endpoint=minio.local:9000").endpoint()).contains(URI.create("https://minio.local:9000"));
    }

    @Test
    void slashesAroundThePathAreDropped() {
        assertThat(ReplicaUrl.parse("s3://b//a/b//").path()).isEqualTo("a/b");
        assertThat(ReplicaUrl.parse("s3://b/").path()).isEmpty();
    }

    @Test
    void badUrlsSayWhatIsWrong() {
        assertBad("", "empty");
        assertBad("/var/lib/x", "expected file:///absolute/dir or s3://bucket/path");
        assertBad("gs://bucket/x", "unsupported replica URL 'gs://bucket/x'");
        assertBad("file://host/dir", "names a host (host)");
        assertBad("file:relative/dir", "must be absolute");
        assertBad("s3://", "bucket is missing");
        assertBad("s3:bucket/x", "expected s3://bucket/path");
        assertBad("s3://b/p?endpoint=ftp://h", "must be http(s)://host[:port]");
        assertBad("s3://b/p?forcePathStyle=yes", "forcePathStyle must be true or false, not 'yes'");
        assertBad("s3://b/p?regoin=x", "unknown parameter 'regoin'");
        assertBad("s3://b/p?region=a&region=b", "given twice");
        assertBad("s3://b/p?region=", "region is empty");
        assertBad("s3://bad bucket/p", "not a bucket name");
    }

    @Test
    void credentialsInTheUrlAreRejectedAndNotEchoed() {
        assertThatThrownBy(() -> ReplicaUrl.parse("s3://AKIA:s3cret@bucket/p"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS_ACCESS_KEY_ID")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ReplicaUrl.parse("s3://bucket/p?endpoint=http://u:s3cret@h:9000"))
                .hasMessageContaining("credentials do not belong")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void storesOpenByScheme() {
        try (ReplicaStore file = ReplicaStores.open("file:///tmp/none");
             ReplicaStore s3 = ReplicaStores.open("s3://b/p?endpoint=http://127.0.0.1:1")) {
            assertThat(file).isInstanceOf(LocalDirStore.class);
            assertThat(file.location()).isEqualTo("file:///tmp/none");
            assertThat(s3).isInstanceOf(S3Store.class);
            assertThat(s3.location()).isEqualTo("s3://b/p?endpoint=http://127.0.0.1:1&region=us-east-1&forcePathStyle=true");
        }
    }

    private static void assertBad(String url, String message) {
        assertThatThrownBy(() -> ReplicaUrl.parse(url)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
