package dev.latch.storage.settings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.S3ProxyResource;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@QuarkusTest
class SettingsTest {

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.saving().withS3Secret(S3ProxyResource.SECRET_KEY);

    @Inject
    DataSource dataSource;

    @Test
    void settingsHaveTheContractShapeAndDefaults() {
        Map<String, Object> s = Api.settings();
        assertEquals(
                Set.of(
                        "defaultBackend",
                        "delivery",
                        "maxUploadBytes",
                        "allowedTypes",
                        "urlTtlSeconds",
                        "maxUrlTtlSeconds",
                        "s3",
                        "pinned"),
                s.keySet());
        assertEquals(Map.of(), s.get("pinned"), "application.properties seeds the settings, it pins nothing");
        @SuppressWarnings("unchecked")
        Map<String, Object> s3 = (Map<String, Object>) s.get("s3");
        assertEquals(
                Set.of("endpoint", "region", "bucket", "pathStyle", "accessKeyId", "secretAccessKeySet"), s3.keySet());
        given().auth()
                .oauth2(Api.admin())
                .get("/api/v1/storage/settings")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("maxUploadBytes", equalTo(33554432))
                .body("urlTtlSeconds", equalTo(900))
                .body("maxUrlTtlSeconds", equalTo(604800))
                .body("delivery", equalTo("PRESIGNED"))
                .body(
                        "allowedTypes",
                        hasItems(
                                "image/png",
                                "image/jpeg",
                                "image/svg+xml",
                                "application/pdf",
                                "text/plain",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                "application/zip"))
                .body("s3.bucket", equalTo(S3ProxyResource.BUCKET))
                .body("s3.pathStyle", equalTo(true))
                .body("s3.accessKeyId", equalTo(S3ProxyResource.ACCESS_KEY))
                .body("s3.secretAccessKeySet", equalTo(true));
    }

    @Test
    void invalidValuesAre400() {
        String admin = Api.admin();
        List<String> bodies = List.of(
                "{\"defaultBackend\":\"FTP\"}",
                "{\"defaultBackend\":\"EXTERNAL\"}",
                "{\"defaultBackend\":null}",
                "{\"delivery\":\"CARRIER_PIGEON\"}",
                "{\"maxUploadBytes\":0}",
                "{\"maxUploadBytes\":-1}",
                "{\"maxUploadBytes\":\"big\"}",
                "{\"maxUploadBytes\":1.5}",
                "{\"allowedTypes\":[]}",
                "{\"allowedTypes\":[\"nope\"]}",
                "{\"allowedTypes\":[\"*/png\"]}",
                "{\"allowedTypes\":\"image/*\"}",
                "{\"urlTtlSeconds\":0}",
                "{\"maxUrlTtlSeconds\":604801}",
                "{\"urlTtlSeconds\":1000,\"maxUrlTtlSeconds\":999}",
                "{\"s3\":{\"endpoint\":\"ftp://example.com\"}}",
                "{\"s3\":{\"endpoint\":\"not a url\"}}",
                "{\"s3\":{\"bucket\":\"A\"}}",
                "{\"s3\":{\"region\":\"\"}}",
                "{\"s3\":{\"pathStyle\":\"yes\"}}",
                "{\"s3\":{\"unknown\":1}}",
                "{\"s3\":[]}",
                "{\"unknownField\":true}",
                "[]",
                "{not json");
        for (String body : bodies) {
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .put("/api/v1/storage/settings")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400));
        }
        assertEquals(33554432, ((Number) Api.settings().get("maxUploadBytes")).intValue(), "nothing was changed");
    }

    @Test
    void valuesOfAnotherJsonTypeAreRefusedNotConverted() {
        String admin = Api.admin();
        for (String body : List.of(
                "{\"maxUploadBytes\":\"4096\"}",
                "{\"maxUploadBytes\":4096.0}",
                "{\"maxUploadBytes\":true}",
                "{\"urlTtlSeconds\":\"60\"}",
                "{\"defaultBackend\":1}",
                "{\"delivery\":true}",
                "{\"allowedTypes\":[5]}",
                "{\"allowedTypes\":[null]}",
                "{\"allowedTypes\":null}",
                "{\"maxUrlTtlSeconds\":null}",
                "{\"s3\":null}",
                "{\"s3\":{\"region\":5}}",
                "{\"s3\":{\"region\":null}}",
                "{\"s3\":{\"bucket\":123}}",
                "{\"s3\":{\"pathStyle\":1}}",
                "{\"s3\":{\"pathStyle\":\"true\"}}",
                "{\"s3\":{\"pathStyle\":null}}",
                "{\"s3\":{\"secretAccessKey\":42}}",
                "{\"maxUploadBytes\":99999999999999999999}",
                "{\"urlTtlSeconds\":3000000000}",
                "{\"delivery\":\"PROXY\",\"delivery\":\"PRESIGNED\"}",
                "{\"s3\":{\"bucket\":\"a-bucket\",\"bucket\":\"b-bucket\"}}")) {
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .put("/api/v1/storage/settings")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("status", equalTo(400));
        }
        assertEquals(33554432, ((Number) Api.settings().get("maxUploadBytes")).intValue(), "nothing was changed");
    }

    @Test
    void anUnknownFieldIsNamedByItsPath() {
        for (Map.Entry<String, String> c : Map.of(
                        "{\"unknownField\":true}", "Unknown field 'unknownField'.",
                        "{\"s3\":{\"unknown\":1}}", "Unknown field 's3.unknown'.")
                .entrySet()) {
            given().auth()
                    .oauth2(Api.admin())
                    .contentType(ContentType.JSON)
                    .body(c.getKey())
                    .put("/api/v1/storage/settings")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", equalTo(c.getValue()));
        }
    }

    @Test
    void aFieldOnItsOwnIsAFieldErrorAndARuleBetweenFieldsNamesBoth() {
        given().auth()
                .oauth2(Api.admin())
                .contentType(ContentType.JSON)
                .body("{\"maxUploadBytes\":0,\"s3\":{\"region\":\"Not A Region\"}}")
                .put("/api/v1/storage/settings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("maxUploadBytes", "s3.region"));
        given().auth()
                .oauth2(Api.admin())
                .contentType(ContentType.JSON)
                .body("{\"urlTtlSeconds\":1000,\"maxUrlTtlSeconds\":999}")
                .put("/api/v1/storage/settings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", equalTo("urlTtlSeconds must not exceed maxUrlTtlSeconds (999)."));
    }

    @Test
    void anAbsentFieldIsKeptAndANullOneCleared() {
        Api.putSettings(Map.of("s3", Map.of("accessKeyId", "  key-with-spaces-around  ")));
        Map<String, Object> s3 = s3(Api.settings());
        assertEquals("key-with-spaces-around", s3.get("accessKeyId"), "values are trimmed");
        String bucket = (String) s3.get("bucket");

        // null clears a nullable field, leaves the others and the secret as they are
        Map<String, Object> nulls = new java.util.HashMap<>();
        nulls.put("endpoint", null);
        nulls.put("accessKeyId", null);
        nulls.put("secretAccessKey", null);
        Map<String, Object> changed = Api.putSettings(Map.of("defaultBackend", " LOCAL ", "s3", nulls));
        assertEquals("LOCAL", changed.get("defaultBackend"), "values are trimmed");
        Map<String, Object> cleared = s3(changed);
        assertEquals(null, cleared.get("endpoint"));
        assertEquals(null, cleared.get("accessKeyId"));
        assertEquals(bucket, cleared.get("bucket"), "absent: kept");
        assertEquals(Boolean.TRUE, cleared.get("secretAccessKeySet"), "a null secret keeps the stored one");

        // media types are normalised, and what GET shows can be PUT back as it is
        Map<String, Object> types = Api.putSettings(Map.of("allowedTypes", List.of(" Image/PNG ", "image/png", "*/*")));
        assertEquals(List.of("image/png", "*/*"), types.get("allowedTypes"));
        Map<String, Object> shown = Api.settings();
        assertEquals(shown, Api.putSettings(shown));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> s3(Map<String, Object> settings) {
        return (Map<String, Object>) settings.get("s3");
    }

    @Test
    void theS3SecretIsWriteOnlyAndEncryptedAtRest() throws Exception {
        Map<String, Object> after =
                Api.putSettings(Map.of("s3", Map.of("secretAccessKey", "a-brand-new-secret-value")));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) after.get("s3")).get("secretAccessKeySet"));
        assertFalse(((Map<?, ?>) after.get("s3")).containsKey("secretAccessKey"));
        byte[] stored = storedSecret();
        assertTrue(stored.length > 16);
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("a-brand-new-secret-value"));

        Map<String, Object> cleared = Api.putSettings(Map.of("s3", Map.of("secretAccessKey", "")));
        assertEquals(Boolean.FALSE, ((Map<?, ?>) cleared.get("s3")).get("secretAccessKeySet"));
        settings.restore();
        assertFalse(new String(storedSecret(), StandardCharsets.ISO_8859_1).contains(S3ProxyResource.SECRET_KEY));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aChangeTakesEffectAtOnce() {
        Api.putSettings(Map.of("urlTtlSeconds", 120));
        Api.User user = Api.newUser();
        String expires = Api.uploadMultipart(user.token(), "t.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .extract()
                .path("urlExpiresAt");
        long seconds = java.time.Duration.between(java.time.Instant.now(), java.time.Instant.parse(expires))
                .toSeconds();
        assertTrue(seconds > 100 && seconds <= 121, "expires in about 120 s, was " + seconds);
    }

    @Test
    void aChangeIsStoredInItsColumns() throws Exception {
        Api.putSettings(Map.of(
                "urlTtlSeconds",
                601,
                "delivery",
                "PROXY",
                "allowedTypes",
                List.of("image/png", "text/plain"),
                "s3",
                Map.of("region", "eu-west-3", "pathStyle", false)));
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT url_ttl_seconds, delivery, allowed_types, s3_region,"
                        + " s3_path_style FROM storage_settings WHERE id = 1")) {
            rs.next();
            assertEquals(601, rs.getInt(1));
            assertEquals("PROXY", rs.getString(2));
            assertEquals("image/png\ntext/plain", rs.getString(3));
            assertEquals("eu-west-3", rs.getString(4));
            assertFalse(rs.getBoolean(5));
        }
    }

    private byte[] storedSecret() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT s3_secret_access_key FROM storage_settings WHERE id = 1")) {
            rs.next();
            byte[] b = rs.getBytes(1);
            return b == null ? new byte[0] : b;
        }
    }
}
