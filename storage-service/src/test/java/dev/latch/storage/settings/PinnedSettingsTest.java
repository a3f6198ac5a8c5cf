package dev.latch.storage.settings;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.error.ProblemException;
import dev.latch.common.testing.S3ProxyResource;
import dev.latch.common.testing.TestDatabase;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import dev.latch.storage.config.StorageKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Storage settings given by the deployment pin them: they win over the stored settings and the API
 * refuses to change them; a pinned S3 secret is never stored, so it needs no at-rest encryption key.
 */
@QuarkusTest
@TestProfile(PinnedSettingsTest.Pinned.class)
class PinnedSettingsTest {

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.saving();

    /** As the chart and compose do: backend, bucket and S3 secret from the deployment, no encryption key. */
    public static class Pinned implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "latch.storage.default-backend",
                    "S3",
                    "latch.storage.s3.bucket",
                    S3ProxyResource.BUCKET,
                    "latch.storage.s3.secret-access-key",
                    S3ProxyResource.SECRET_KEY,
                    "latch.storage.encryption-key",
                    "");
        }
    }

    @Inject
    StorageKeys keys;

    @Test
    void startsWithAPinnedS3SecretAndNoEncryptionKeyAndNeverStoresTheSecret() {
        assertThrows(ProblemException.class, keys::aes, "this profile runs without an at-rest encryption key");
        assertNull(TestDatabase.single(
                "latch_storage_test", "SELECT s3_secret_access_key FROM storage_settings WHERE id = 1"));
        given().auth()
                .oauth2(Api.admin())
                .get("/api/v1/storage/settings")
                .then()
                .statusCode(200)
                .body("defaultBackend", equalTo("S3"))
                .body("s3.bucket", equalTo(S3ProxyResource.BUCKET))
                .body("s3.secretAccessKeySet", equalTo(true))
                .body("pinned.size()", equalTo(3))
                .body("pinned.defaultBackend", containsString("latch.storage.default-backend"))
                .body("pinned.'s3.bucket'", containsString("latch.storage.s3.bucket"))
                .body("pinned.'s3.secretAccessKey'", containsString("latch.storage.s3.secret-access-key"));
        // the pinned secret is the one in use: the upload reaches the bucket
        Api.User user = Api.newUser();
        Api.uploadMultipart(user.token(), "pinned.txt", "pinned".getBytes(StandardCharsets.UTF_8), "text/plain")
                .then()
                .statusCode(201)
                .body("storageType", equalTo("S3"));
    }

    @Test
    void aPinnedFieldCannotBeChangedThroughTheApi() {
        String admin = Api.admin();
        for (String body : new String[] {
            "{\"defaultBackend\":\"LOCAL\"}",
            "{\"s3\":{\"bucket\":\"another-bucket\"}}",
            "{\"s3\":{\"secretAccessKey\":\"another-secret\"}}",
            "{\"s3\":{\"secretAccessKey\":\"\"}}"
        }) {
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .put("/api/v1/storage/settings")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("is pinned by the deployment"));
        }
        assertEquals("S3", Api.settings().get("defaultBackend"));
    }

    @Test
    void unpinnedFieldsStayAnAdminsToChangeAndTheSameValueOfAPinnedOneIsAccepted() {
        Map<String, Object> changed = Api.putSettings(
                Map.of("urlTtlSeconds", 600, "defaultBackend", "S3", "s3", Map.of("bucket", S3ProxyResource.BUCKET)));
        assertEquals(600, changed.get("urlTtlSeconds"));
        // what GET shows can be PUT back as it is, pinned fields and all
        Map<String, Object> again = Api.putSettings(Api.settings());
        assertEquals(600, again.get("urlTtlSeconds"));
        assertTrue(((Map<?, ?>) again.get("pinned")).containsKey("s3.bucket"));
        settings.restore();
        assertNull(TestDatabase.single(
                "latch_storage_test", "SELECT s3_secret_access_key FROM storage_settings WHERE id = 1"));
    }
}
