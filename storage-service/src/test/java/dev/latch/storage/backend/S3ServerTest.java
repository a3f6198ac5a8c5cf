package dev.latch.storage.backend;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.S3ProxyResource;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

/** The test S3 server is a real peer: it checks AWS V4 signatures and expiry of presigned URLs. */
@QuarkusTest
class S3ServerTest {

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.saving().withS3Secret(S3ProxyResource.SECRET_KEY);

    @Inject
    S3Clients s3;

    @Test
    void readinessChecksTheBucket() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("storage backend"))
                .body("checks.find { it.name == 'storage backend' }.data.backend", equalTo("S3"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().accept("application/json").get("/q/openapi").then().statusCode(200);
    }

    @Test
    void aMisconfiguredStoreIsADownEntryNamingTheSettingAndTheServiceStaysUp() {
        Map<String, Map<String, Object>> broken = new LinkedHashMap<>();
        broken.put("s3.bucket", Map.of("bucket", "no-such-bucket-" + System.nanoTime()));
        broken.put("s3.accessKeyId", Map.of("accessKeyId", "wrong-key", "secretAccessKey", "wrong-secret-0123456789"));
        broken.put("s3.endpoint", Map.of("endpoint", "http://127.0.0.1:" + freePort()));
        for (Map.Entry<String, Map<String, Object>> b : broken.entrySet()) {
            Api.putSettings(Map.of("defaultBackend", "S3", "s3", b.getValue()));
            given().get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'storage backend' }.data.setting", equalTo(b.getKey()))
                    .body(
                            "checks.find { it.name == 'storage backend' }.data.fix",
                            containsString("PUT /api/v1/storage/settings"));
            // alive, and the settings API still answers, so an ADMIN can put it right
            given().get("/q/health/live").then().statusCode(200);
            Api.putSettings(Map.of("s3", testStore()));
            given().get("/q/health/ready").then().statusCode(200);
        }
    }

    private static Map<String, Object> testStore() {
        return Map.of(
                "bucket",
                S3ProxyResource.BUCKET,
                "accessKeyId",
                S3ProxyResource.ACCESS_KEY,
                "secretAccessKey",
                S3ProxyResource.SECRET_KEY,
                "endpoint",
                S3ProxyResource.endpoint().toString());
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void presignedUrlDownloadsAndTamperedOrExpiredOnesAreRefused() throws Exception {
        String key = "presign/" + System.nanoTime() + ".txt";
        s3.client().putObject(b -> b.bucket(s3.bucket()).key(key), RequestBody.fromString("hello latch"));

        String url = presign(key, Duration.ofMinutes(5));
        assertEquals(200, status(url));
        assertEquals("hello latch", body(url));

        String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        char last = signature.charAt(signature.length() - 1);
        String tampered = url.replace(
                "X-Amz-Signature=" + signature,
                "X-Amz-Signature=" + signature.substring(0, signature.length() - 1) + (last == '0' ? '1' : '0'));
        assertEquals(403, status(tampered));

        String longer = url.replace("X-Amz-Expires=300", "X-Amz-Expires=604800");
        assertTrue(!longer.equals(url));
        assertEquals(403, status(longer), "an extended expiry breaks the signature");

        String shortLived = presign(key, Duration.ofSeconds(1));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> status(shortLived) == 403);
    }

    private String presign(String key, Duration ttl) {
        return s3.presigner()
                .presignGetObject(p -> p.signatureDuration(ttl)
                        .getObjectRequest(g -> g.bucket(s3.bucket()).key(key)))
                .url()
                .toString();
    }

    private static int status(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    private static String body(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
