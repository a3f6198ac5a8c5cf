package dev.latch.storage.backend;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.S3ProxyResource;
import dev.latch.common.testing.TestDatabase;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The S3 server really stops (its port closed, requests in flight cut) and comes back on the same port
 * with its objects: uploads answer 503 with Retry-After and leave no record, downloads answer 503 and the
 * record stays, deletions succeed for the client and the blob is removed once the store is back.
 */
@QuarkusTest
class S3OutageTest {

    private static final String DATABASE = "latch_storage_test";
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.S3_PRESIGNED);

    @AfterEach
    void storeBack() {
        S3ProxyResource.startServer();
    }

    @Test
    void uploadsWhileTheStoreIsStoppedAre503WithRetryAfterAndLeaveNoRecord() throws Exception {
        Api.User user = Api.newUser();
        S3ProxyResource.stopServer();
        for (Response r : List.of(
                Api.uploadMultipart(user.token(), "down.png", Api.png(), "image/png"),
                Api.uploadRaw(user.token(), "down-raw.png", Api.png(), "image/png"))) {
            r.then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("status", equalTo(503))
                    .body("requestId", notNullValue());
        }
        // larger than one part: the multipart-upload path (the body is generated as it is sent: the heap is small)
        HttpResponse<String> large = Api.http()
                .send(
                        HttpRequest.newBuilder(
                                        Api.local(Api.PUBLIC_BASE_URL + "/api/v1/attachments?filename=down-large.png"))
                                .header("Authorization", "Bearer " + user.token())
                                .header("Content-Type", "image/png")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                                        new ByteArrayInputStream(Api.png()),
                                        new ByteArrayInputStream(new byte[5 * 1024 * 1024 + 1000]))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(503, large.statusCode(), large.body());
        assertEquals(
                "application/problem+json",
                large.headers().firstValue("Content-Type").orElse(""));
        assertTrue(large.headers().firstValue("Retry-After").isPresent(), "Retry-After");
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));

        S3ProxyResource.startServer();
        String uid = Api.uploadMultipart(user.token(), "up.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .body("storageType", equalTo("S3"))
                .extract()
                .path("uid");
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].uid", equalTo(uid));
    }

    @Test
    void aDirectUploadCompletedWhileTheStoreIsStoppedIs503AndCompletesAfterRecovery() throws Exception {
        Api.User user = Api.newUser();
        byte[] png = Api.pngOfSize(3000);
        JsonPath ticket = given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "filename", "direct.png", "type", "image/png", "size", png.length, "sha256", Api.sha256(png)))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String id = ticket.getString("id");
        HttpRequest.Builder put = HttpRequest.newBuilder(Api.local(ticket.getString("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png));
        ticket.<String, String>getMap("headers").forEach(put::header);
        assertEquals(
                200,
                Api.http()
                        .send(put.build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode());

        S3ProxyResource.stopServer();
        given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + id + "/complete")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));

        S3ProxyResource.startServer();
        given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + id + "/complete")
                .then()
                .statusCode(201)
                .body("storageType", equalTo("S3"))
                .body("sha256", equalTo(Api.sha256(png)));
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
    }

    @Test
    void aProxiedDownloadWhileTheStoreIsStoppedIs503AndTheRecordStays() {
        Api.putSettings(Map.of("delivery", "PROXY"));
        Api.User user = Api.newUser();
        byte[] png = Api.pngOfSize(2000);
        JsonPath created = Api.uploadMultipart(user.token(), "kept.png", png, "image/png")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String uid = created.getString("uid");
        String url = created.getString("url");

        S3ProxyResource.stopServer();
        for (HttpResponse<byte[]> r : List.of(Api.get(url), Api.get(url, "Range", "bytes=0-9"))) {
            assertEquals(503, r.statusCode(), new String(r.body()));
            assertEquals(
                    "application/problem+json",
                    r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.headers().firstValue("Retry-After").isPresent(), "Retry-After");
        }
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(200)
                .body("sha256", equalTo(Api.sha256(png)));

        S3ProxyResource.startServer();
        HttpResponse<byte[]> back = Api.get(url);
        assertEquals(200, back.statusCode());
        assertEquals(Api.sha256(png), Api.sha256(back.body()));
    }

    @Test
    void aDeleteWhileTheStoreIsStoppedSucceedsAndTheBlobIsRemovedAfterRecovery() {
        Api.User user = Api.newUser();
        JsonPath created = Api.uploadMultipart(user.token(), "later.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String uid = created.getString("uid");
        String key = created.getString("reference");
        assertTrue(S3ProxyResource.objectExists(key));

        S3ProxyResource.stopServer();
        given().auth()
                .oauth2(user.token())
                .delete("/api/v1/attachments/" + uid)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(404);
        assertTrue(S3ProxyResource.objectExists(key), "the store was stopped, so the blob is still there");
        assertEquals(1, pendingDeletions(key), "the deletion is remembered");

        S3ProxyResource.startServer();
        Awaitility.await()
                .atMost(RECOVERY)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !S3ProxyResource.objectExists(key) && pendingDeletions(key) == 0);
    }

    private static long pendingDeletions(String key) {
        return TestDatabase.count(
                DATABASE, "SELECT count(*) FROM pending_deletions WHERE storage_type = 'S3' AND reference = ?", key);
    }
}
