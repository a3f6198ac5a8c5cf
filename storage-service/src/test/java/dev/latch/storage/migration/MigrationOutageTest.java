package dev.latch.storage.migration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A migration that the S3 server's outage interrupts — between two attachments, or in the middle of reading
 * one — pauses, resumes once the store is back, and completes: every attachment on the target with its
 * SHA-256, none lost, none left behind, none failed. Runs in a JVM with a larger heap (the in-memory S3
 * server holds the large blob, and the test reads it back whole).
 */
@QuarkusTest
class MigrationOutageTest {

    private static final Duration COMPLETION = Duration.ofSeconds(60);

    @Inject
    LocalBackend local;

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.S3_PRESIGNED);

    @BeforeEach
    void emptyStores() throws Exception {
        EmptyStores.empty(local.root());
    }

    @AfterEach
    void storeBack() {
        S3ProxyResource.startServer();
    }

    @Test
    void aMigrationToS3InterruptedByAnOutageResumesAndCompletes() {
        Api.User user = Api.newUser();
        Map<String, String> sums = upload(user, "LOCAL", 30, 20_000);
        String id = start("LOCAL", "S3");

        Awaitility.await().atMost(COMPLETION).pollInterval(Duration.ofMillis(2)).until(() -> done(id) >= 1);
        S3ProxyResource.stopServer();
        assertTrue(done(id) < 30, "the outage came before the end of the migration");
        assertEquals("RUNNING", status(id));

        S3ProxyResource.startServer();
        assertCompletedOn(id, "S3", user, sums);
    }

    @Test
    void aMigrationFromS3CutWhileReadingABlobResumesAndCompletes() throws Exception {
        Api.User user = Api.newUser();
        // the large one first (the migration goes by creation time): the outage cuts its download. Stored
        // straight into the test S3 server with its record: a multipart upload of it would not fit the heap.
        Map<String, String> sums = new LinkedHashMap<>();
        byte[] large = Api.pngOfSize(16 * 1024 * 1024);
        String uid = "largeBlob" + System.nanoTime();
        S3ProxyResource.putObject("attachments/" + uid, large);
        TestDatabase.update(
                EmptyStores.DATABASE,
                "INSERT INTO attachments (uid, owner_id, filename, content_type, size,"
                        + " sha256, storage_type, reference, created_at) VALUES (?, ?, 'large.png', 'image/png', ?, ?, 'S3', ?,"
                        + " now() - interval '1 hour')",
                uid,
                user.id(),
                (long) large.length,
                Api.sha256(large),
                "attachments/" + uid);
        sums.put(uid, Api.sha256(large));
        sums.putAll(upload(user, "S3", 3, 3000));
        String id = start("S3", "LOCAL");

        Path tmp = local.root().resolve(".tmp");
        Awaitility.await().atMost(COMPLETION).pollInterval(Duration.ofMillis(1)).until(() -> writing(tmp));
        S3ProxyResource.stopServer();
        assertEquals(0, done(id), "the outage came while the first blob was copied");

        S3ProxyResource.startServer();
        assertCompletedOn(id, "LOCAL", user, sums);
    }

    private void assertCompletedOn(String id, String target, Api.User user, Map<String, String> sums) {
        String admin = Api.admin();
        Awaitility.await()
                .atMost(COMPLETION)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> "COMPLETED".equals(status(id)));
        given().auth()
                .oauth2(admin)
                .get("/api/v1/storage/migrations/" + id)
                .then()
                .statusCode(200)
                .body("done", equalTo(sums.size()))
                .body("total", equalTo(sums.size()))
                .body("failed", equalTo(0));
        for (Map.Entry<String, String> e : sums.entrySet()) {
            String url = given().auth()
                    .oauth2(user.token())
                    .get("/api/v1/attachments/" + e.getKey())
                    .then()
                    .statusCode(200)
                    .body("storageType", equalTo(target))
                    .body("sha256", equalTo(e.getValue()))
                    .extract()
                    .path("url");
            assertEquals(e.getValue(), Api.sha256(Api.download(url).body()), "content of " + e.getKey());
        }
        // nothing duplicated or left behind once the deletions of the old blobs have run
        Awaitility.await()
                .atMost(COMPLETION)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> TestDatabase.count(EmptyStores.DATABASE, "SELECT count(*) FROM pending_deletions") == 0);
        JsonPath report = given().auth()
                .oauth2(admin)
                .get("/api/v1/storage/consistency")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        for (String type : List.of("DATABASE", "LOCAL", "S3")) {
            int records = type.equals(target) ? sums.size() : 0;
            assertEquals(
                    Map.of("type", type, "records", records, "recordsWithoutBlob", 0, "blobsWithoutRecord", 0),
                    report.getMap("backends.find { it.type == '" + type + "' }"));
        }
    }

    private static Map<String, String> upload(Api.User user, String backend, int count, int size) {
        Api.putSettings(Map.of("defaultBackend", backend));
        Map<String, String> sums = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] content = Api.pngOfSize(size + i);
            String uid = Api.uploadRaw(user.token(), "m" + size + "-" + i + ".png", content, "image/png")
                    .then()
                    .statusCode(201)
                    .body("storageType", equalTo(backend))
                    .extract()
                    .path("uid");
            sums.put(uid, Api.sha256(content));
        }
        return sums;
    }

    private static String start(String from, String to) {
        return given().auth()
                .oauth2(Api.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("from", from, "to", to))
                .post("/api/v1/storage/migrations")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private static long done(String id) {
        return ((Number) TestDatabase.single(
                        EmptyStores.DATABASE, "SELECT done FROM storage_migrations WHERE id = ?", id))
                .longValue();
    }

    private static String status(String id) {
        return (String)
                TestDatabase.single(EmptyStores.DATABASE, "SELECT status FROM storage_migrations WHERE id = ?", id);
    }

    /** Whether LOCAL is writing a blob now: its temporary file exists until the copy is complete. */
    private static boolean writing(Path tmp) throws Exception {
        if (!Files.isDirectory(tmp)) {
            return false;
        }
        try (Stream<Path> parts = Files.list(tmp)) {
            return parts.anyMatch(p -> p.getFileName().toString().endsWith(".part"));
        }
    }
}
