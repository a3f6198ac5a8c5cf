package dev.latch.storage.migration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import dev.latch.storage.attachment.AttachmentRepository;
import dev.latch.storage.attachment.AttachmentService;
import dev.latch.storage.backend.LocalBackend;
import dev.latch.storage.backend.StorageType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@QuarkusTest
class MigrationTest {

    @Inject
    AttachmentService attachments;

    @Inject
    LocalBackend local;

    @Inject
    AttachmentRepository attachmentRows;

    @Inject
    MigrationRepository migrations;

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.saving();

    @Test
    void fiftyLocalFilesMoveToS3WithTheirChecksums() {
        // start from a known state: no LOCAL attachment left over by other tests
        removeAll(StorageType.LOCAL);

        Api.putSettings(Map.of("defaultBackend", "LOCAL"));
        Api.User user = Api.newUser();
        Map<String, String> sums = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            byte[] content = ("file number " + i + "\n").repeat(i + 1).getBytes(StandardCharsets.UTF_8);
            JsonPath a = Api.uploadRaw(user.token(), "f" + i + ".txt", content, "text/plain")
                    .then()
                    .statusCode(201)
                    .body("storageType", equalTo("LOCAL"))
                    .extract()
                    .jsonPath();
            assertEquals(Api.sha256(content), a.getString("sha256"));
            sums.put(a.getString("uid"), a.getString("sha256"));
        }

        String admin = Api.admin();
        JsonPath started = given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("from", "LOCAL", "to", "S3"))
                .post("/api/v1/storage/migrations")
                .then()
                .statusCode(202)
                .header("Location", notNullValue())
                .body("id", notNullValue())
                .body("from", equalTo("LOCAL"))
                .body("to", equalTo("S3"))
                .body("status", equalTo("RUNNING"))
                .body("total", equalTo(50))
                .body("failed", equalTo(0))
                .extract()
                .jsonPath();
        String id = started.getString("id");

        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "COMPLETED"
                        .equals(given().auth()
                                .oauth2(admin)
                                .get("/api/v1/storage/migrations/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("status")));
        given().auth()
                .oauth2(admin)
                .get("/api/v1/storage/migrations/" + id)
                .then()
                .statusCode(200)
                .body("done", equalTo(50))
                .body("total", equalTo(50))
                .body("failed", equalTo(0));

        for (Map.Entry<String, String> e : sums.entrySet()) {
            JsonPath a = given().auth()
                    .oauth2(user.token())
                    .get("/api/v1/attachments/" + e.getKey())
                    .then()
                    .statusCode(200)
                    .body("storageType", equalTo("S3"))
                    .body("sha256", equalTo(e.getValue()))
                    .extract()
                    .jsonPath();
            var download = Api.download(a.getString("url"));
            assertEquals(200, download.statusCode());
            assertEquals(e.getValue(), Api.sha256(download.body()), "content of " + e.getKey());
            assertFalse(Files.exists(local.root().resolve(e.getKey())), "the LOCAL copy is deleted after the switch");
        }
    }

    @Test
    void aMigrationLeftByAStoppedReplicaIsResumedFromItsStoredState() {
        removeAll(StorageType.DATABASE);
        Api.putSettings(Map.of("defaultBackend", "DATABASE"));
        Api.User user = Api.newUser();
        Map<String, String> sums = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            JsonPath a = Api.uploadMultipart(user.token(), "r" + i + ".png", Api.pngOfSize(1000 + i), "image/png")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath();
            sums.put(a.getString("uid"), a.getString("sha256"));
        }
        // the state a replica leaves when it stops mid-way: RUNNING, its lease run out
        String id = "resume" + System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> {
            Migration m = new Migration();
            m.id = id;
            m.from = StorageType.DATABASE;
            m.to = StorageType.LOCAL;
            m.status = Migration.Status.RUNNING;
            m.total = 3;
            m.createdAt = Instant.now().minusSeconds(3600);
            m.updatedAt = m.createdAt;
            m.leaseOwner = "a-stopped-replica";
            m.leaseUntil = Instant.now().minusSeconds(60);
            migrations.persist(m);
        });
        String admin = Api.admin();
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "COMPLETED"
                        .equals(given().auth()
                                .oauth2(admin)
                                .get("/api/v1/storage/migrations/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("status")));
        given().auth()
                .oauth2(admin)
                .get("/api/v1/storage/migrations/" + id)
                .then()
                .body("done", equalTo(3))
                .body("total", equalTo(3))
                .body("failed", equalTo(0));
        for (Map.Entry<String, String> e : sums.entrySet()) {
            String url = given().auth()
                    .oauth2(user.token())
                    .get("/api/v1/attachments/" + e.getKey())
                    .then()
                    .statusCode(200)
                    .body("storageType", equalTo("LOCAL"))
                    .extract()
                    .path("url");
            assertEquals(e.getValue(), Api.sha256(Api.download(url).body()));
        }
    }

    private void removeAll(StorageType type) {
        List<String> leftovers = QuarkusTransaction.requiringNew()
                .call(() -> attachmentRows.list("storageType", type).stream()
                        .map(a -> a.uid)
                        .toList());
        leftovers.forEach(uid -> attachments.delete(uid, new AttachmentService.Caller("test", true)));
    }

    @Test
    void badMigrationRequestsAre4xx() {
        String admin = Api.admin();
        for (Map<String, String> body : List.of(
                Map.of("from", "LOCAL", "to", "LOCAL"),
                Map.of("from", "EXTERNAL", "to", "S3"),
                Map.of("from", "LOCAL", "to", "FTP"),
                Map.of("from", "LOCAL"))) {
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/v1/storage/migrations")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("{not json")
                .post("/api/v1/storage/migrations")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(admin)
                .get("/api/v1/storage/migrations/nope")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
