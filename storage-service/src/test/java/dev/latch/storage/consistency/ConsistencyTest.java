package dev.latch.storage.consistency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.S3ProxyResource;
import dev.latch.common.testing.TestDatabase;
import dev.latch.storage.Api;
import dev.latch.storage.EmptyStores;
import dev.latch.storage.SettingsRestorer;
import dev.latch.storage.backend.LocalBackend;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/storage/consistency} counts, per backend, records whose blob is gone and blobs no record
 * references — each inconsistency made on purpose behind the service's back, counted, put right, and gone
 * again. Starts from empty stores (the earlier tests' leftovers, and the data directory of earlier runs, are
 * removed), so a healthy system must report exactly 0 and 0.
 */
@QuarkusTest
class ConsistencyTest {

    private static final String DATABASE = EmptyStores.DATABASE;

    @Inject
    LocalBackend local;

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.S3_PRESIGNED);

    @BeforeEach
    void emptyStores() throws IOException {
        EmptyStores.empty(local.root());
    }

    @AfterEach
    void storeBack() {
        S3ProxyResource.startServer();
    }

    @Test
    void onlyAnAdminMayCheck() {
        given().get("/api/v1/storage/consistency")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", notNullValue());
        given().auth()
                .oauth2(Api.newUser().token())
                .get("/api/v1/storage/consistency")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void aHealthySystemReportsExactlyZeroAndZeroOnEveryBackend() {
        Instant before = Instant.now();
        JsonPath report = given().auth()
                .oauth2(Api.admin())
                .get("/api/v1/storage/consistency")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
        assertEquals(Set.of("backends", "checkedAt"), report.getMap("").keySet());
        Instant checkedAt = Instant.parse(report.getString("checkedAt"));
        assertTrue(
                !checkedAt.isBefore(before.minusSeconds(1)) && !checkedAt.isAfter(Instant.now()), checkedAt.toString());
        List<Map<String, Object>> backends = report.getList("backends");
        assertEquals(
                List.of("DATABASE", "LOCAL", "S3"),
                backends.stream().map(b -> b.get("type")).toList());
        for (Map<String, Object> b : backends) {
            assertEquals(
                    Map.of("type", b.get("type"), "records", 0, "recordsWithoutBlob", 0, "blobsWithoutRecord", 0), b);
        }
    }

    @Test
    void eachInconsistencyIsCountedAndGoneOncePutRight() throws Exception {
        Api.User user = Api.newUser();
        List<JsonPath> database = upload(user, "DATABASE", 2);
        List<JsonPath> localFiles = upload(user, "LOCAL", 2);
        // more than one listing page (the tests list 7 keys a page): the continuation tokens are followed
        List<JsonPath> s3 = upload(user, "S3", 16);
        // a direct upload under way: its upload key is no stray
        String pendingUpload = announceAndPut(user, Api.pngOfSize(1200));
        assertTrue(S3ProxyResource.objectExists("uploads/" + pendingUpload));
        // objects outside attachments/ and uploads/ are not the service's
        S3ProxyResource.putObject("elsewhere/" + System.nanoTime(), "not ours".getBytes(StandardCharsets.UTF_8));
        assertFigures("DATABASE", 2, 0, 0);
        assertFigures("LOCAL", 2, 0, 0);
        assertFigures("S3", 16, 0, 0);

        // blobs removed behind the service's back: records without blob
        TestDatabase.update(
                DATABASE,
                "DELETE FROM blob_chunks WHERE reference = ?",
                database.get(0).getString("reference"));
        Files.delete(local.resolve(localFiles.get(0).getString("reference")));
        S3ProxyResource.deleteObject(s3.get(0).getString("reference"));
        S3ProxyResource.deleteObject(s3.get(9).getString("reference"));
        // blobs no record references
        TestDatabase.update(
                DATABASE,
                "INSERT INTO blob_chunks (reference, seq, start_offset, data) VALUES (?, 0, 0, ?)",
                "strayDatabaseBlob",
                new byte[] {1, 2, 3});
        Path strayFile = local.root().resolve("strayLocalBlob").resolve("stray.txt");
        Files.createDirectories(strayFile.getParent());
        Files.writeString(strayFile, "stray");
        S3ProxyResource.putObject("attachments/strayS3Blob", "stray".getBytes(StandardCharsets.UTF_8));
        S3ProxyResource.putObject("uploads/strayUpload", "stray".getBytes(StandardCharsets.UTF_8));

        assertFigures("DATABASE", 2, 1, 1);
        assertFigures("LOCAL", 2, 1, 1);
        assertFigures("S3", 16, 2, 2);

        // put right: the records whose blob is lost are deleted, the strays removed
        for (JsonPath lost : List.of(database.get(0), localFiles.get(0), s3.get(0), s3.get(9))) {
            given().auth()
                    .oauth2(user.token())
                    .delete("/api/v1/attachments/" + lost.getString("uid"))
                    .then()
                    .statusCode(204);
        }
        TestDatabase.update(DATABASE, "DELETE FROM blob_chunks WHERE reference = 'strayDatabaseBlob'");
        Files.delete(strayFile);
        S3ProxyResource.deleteObject("attachments/strayS3Blob");
        S3ProxyResource.deleteObject("uploads/strayUpload");

        assertFigures("DATABASE", 1, 0, 0);
        assertFigures("LOCAL", 1, 0, 0);
        assertFigures("S3", 14, 0, 0);
    }

    @Test
    void afterAnS3OutageWithDeletionsPendingItReportsZeroOnceTheRetriesRan() {
        Api.User user = Api.newUser();
        List<JsonPath> s3 = upload(user, "S3", 3);
        assertFigures("S3", 3, 0, 0);

        S3ProxyResource.stopServer();
        for (JsonPath a : s3) {
            given().auth()
                    .oauth2(user.token())
                    .delete("/api/v1/attachments/" + a.getString("uid"))
                    .then()
                    .statusCode(204);
        }
        assertEquals(
                3, TestDatabase.count(DATABASE, "SELECT count(*) FROM pending_deletions WHERE storage_type = 'S3'"));
        given().auth()
                .oauth2(Api.admin())
                .get("/api/v1/storage/consistency")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue());

        S3ProxyResource.startServer();
        // whether or not the retries have run yet, the blobs are accounted for
        assertFigures("S3", 0, 0, 0);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> S3ProxyResource.keys("attachments/").isEmpty()
                        && TestDatabase.count(DATABASE, "SELECT count(*) FROM pending_deletions") == 0);
        assertFigures("S3", 0, 0, 0);
    }

    private static void assertFigures(String type, int records, int recordsWithoutBlob, int blobsWithoutRecord) {
        given().auth()
                .oauth2(Api.admin())
                .get("/api/v1/storage/consistency")
                .then()
                .statusCode(200)
                .body("backends.find { it.type == '" + type + "' }.records", equalTo(records))
                .body("backends.find { it.type == '" + type + "' }.recordsWithoutBlob", equalTo(recordsWithoutBlob))
                .body("backends.find { it.type == '" + type + "' }.blobsWithoutRecord", equalTo(blobsWithoutRecord));
    }

    private static List<JsonPath> upload(Api.User user, String backend, int count) {
        Api.putSettings(Map.of("defaultBackend", backend));
        List<JsonPath> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            created.add(Api.uploadMultipart(
                            user.token(), backend.toLowerCase() + i + ".png", Api.pngOfSize(500 + i), "image/png")
                    .then()
                    .statusCode(201)
                    .body("storageType", equalTo(backend))
                    .extract()
                    .jsonPath());
        }
        Api.putSettings(Map.of("defaultBackend", "S3"));
        return created;
    }

    /** Announces a direct upload on S3 and PUTs its bytes, without completing it; the upload's id. */
    private static String announceAndPut(Api.User user, byte[] png) throws Exception {
        JsonPath ticket = given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of("filename", "pending.png", "type", "image/png", "size", png.length))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        HttpRequest.Builder put = HttpRequest.newBuilder(Api.local(ticket.getString("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png));
        ticket.<String, String>getMap("headers").forEach(put::header);
        assertEquals(
                200,
                Api.http()
                        .send(put.build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode());
        return ticket.getString("id");
    }
}
