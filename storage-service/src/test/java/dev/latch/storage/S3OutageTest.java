package dev.latch.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.S3ProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The S3 server goes away: uploads fail cleanly with 503, deletions are remembered and done later. */
@QuarkusTest
class S3OutageTest {

    private Map<String, Object> saved;

    @BeforeEach
    void useS3() {
        saved = Api.settings();
        Api.putSettings(Map.of("defaultBackend", "S3", "delivery", "PRESIGNED"));
    }

    @AfterEach
    void restore() {
        Api.putSettings(saved);
    }

    @Test
    void uploadWhileTheStoreIsDownIs503AndLeavesNoRecord() throws Exception {
        Api.User user = Api.newUser();
        breakS3();
        given().auth().oauth2(user.token()).multiPart("file", "down.png", Api.png(), "image/png")
                .post("/api/v1/attachments").then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("requestId", notNullValue());
        Api.putSettings(Map.of("s3", saved.get("s3")));
        given().auth().oauth2(user.token()).get("/api/v1/attachments").then().statusCode(200).body("items", hasSize(0));
        Api.uploadMultipart(user.token(), "up.png", Api.png(), "image/png").then().statusCode(201);
    }

    @Test
    void deleteWhileTheStoreIsDownSucceedsAndTheBlobIsRemovedLater() throws Exception {
        Api.User user = Api.newUser();
        var created = Api.uploadMultipart(user.token(), "later.png", Api.png(), "image/png").then().statusCode(201)
                .extract().jsonPath();
        String uid = created.getString("uid");
        String key = created.getString("reference");
        try (S3Client direct = directClient()) {
            assertTrue(exists(direct, key));
            breakS3();
            given().auth().oauth2(user.token()).delete("/api/v1/attachments/" + uid).then().statusCode(204);
            given().auth().oauth2(user.token()).get("/api/v1/attachments/" + uid).then().statusCode(404);
            assertTrue(exists(direct, key), "the store was unreachable, so the blob is still there");

            Api.putSettings(Map.of("s3", saved.get("s3")));
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !exists(direct, key));
        }
    }

    /** Points the S3 settings at a port nobody listens on. */
    private static void breakS3() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> s3 = new LinkedHashMap<>((Map<String, Object>) Api.settings().get("s3"));
        s3.remove("secretAccessKeySet");
        s3.put("endpoint", "http://127.0.0.1:" + port);
        Api.putSettings(Map.of("s3", s3));
    }

    private static S3Client directClient() {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(S3ProxyResource.endpoint())
                .region(Region.of(S3ProxyResource.REGION))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3ProxyResource.ACCESS_KEY, S3ProxyResource.SECRET_KEY)))
                .build();
    }

    private static boolean exists(S3Client client, String key) {
        try {
            client.headObject(b -> b.bucket(S3ProxyResource.BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
