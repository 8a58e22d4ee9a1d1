package dev.ltxvfs.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar (prod profile) serves the OpenAPI document that its boot no longer builds
 * ({@code LazyOpenApiDocumentService} builds it at the first request), in both formats, and again.
 */
@QuarkusIntegrationTest
class OpenApiIT {
    @Test
    void servesTheDocumentBuiltAtTheFirstRequest() {
        String yaml = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(yaml).startsWith("---\nopenapi: 3.1.0").contains("/v1/databases/{db}/query:")
                .contains("/libsql/{db}/v2/pipeline:").contains("title: ltxvfs");
        String json = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertThat(json).contains("\"openapi\" : \"3.1.0\"").contains("\"/v1/databases/{db}/history\"");
        assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString()).isEqualTo(yaml);
    }
}
