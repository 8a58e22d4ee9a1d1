package dev.ltxvfs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The boot's JSON warm-up: what it builds, and that its body is one the query API takes. */
class JsonWarmupTest {

    @Test
    void warmingBuildsTheSerializersOfAnAnswer() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        assertThat(serializers(mapper)).isZero();
        JsonWarmup.warm(mapper);
        assertThat(serializers(mapper)).isPositive();
    }

    private static int serializers(ObjectMapper mapper) {
        return ((DefaultSerializerProvider) mapper.getSerializerProvider()).cachedSerializersCount();
    }

    @Test
    @SuppressWarnings("unchecked")
    void itsBodyHoldsEveryKindOfParameter() throws Exception {
        QueryBody body = new ObjectMapper().readValue(JsonWarmup.BODY, QueryBody.class);
        assertThat(body.sql()).isEqualTo("SELECT ?");
        assertThat(body.at()).isEqualTo("latest");
        assertThat(body.maxRows()).isEqualTo(10);
        List<Object> params = (List<Object>) QueryResource.decodeBlobs(body.params());
        assertThat(params).hasSize(6);
        assertThat(params.subList(0, 5)).containsExactly(1, 2.5, "a", null, true);
        assertThat((byte[]) params.get(5)).containsExactly(0, 0xff);
    }
}
