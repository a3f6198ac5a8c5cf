package dev.latch.storage.presign;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.S3ProxyResource;
import dev.latch.common.testing.TestDatabase;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import dev.latch.storage.backend.S3Clients;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The presigned PUT of a direct upload on S3 is bound to the announced length (and SHA-256), writes an
 * upload key of its own, and whatever it writes after completion never reaches the attachment — checked
 * against S3Proxy, which verifies V4 signatures and checksums like S3.
 */
@QuarkusTest
class S3DirectUploadTest {

    private static final String DATABASE = "latch_storage_test";

    @Inject
    S3Clients s3;

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.S3_PRESIGNED);

    @Test
    void thePresignedPutIsBoundToTheAnnouncedLengthAndChecksum() throws Exception {
        Api.User user = Api.newUser();
        byte[] png = Api.pngOfSize(4000);
        JsonPath ticket = announce(user, "bound.png", png.length, Api.sha256(png));
        String url = ticket.getString("url");
        assertTrue(url.startsWith(S3ProxyResource.endpoint().toString()), url);
        String signed =
                URLDecoder.decode(url.replaceAll(".*[?&]X-Amz-SignedHeaders=([^&]+).*", "$1"), StandardCharsets.UTF_8);
        assertTrue(signed.contains("content-length"), signed);
        assertTrue(signed.contains("x-amz-checksum-sha256"), signed);
        String id = ticket.getString("id");
        assertTrue(url.contains("/uploads/" + id + "?"), "the PUT writes the upload key, not the attachment's: " + url);
        Map<String, String> headers = ticket.getMap("headers");
        assertEquals("image/png", headers.get("Content-Type"));
        assertEquals(
                java.util.Base64.getEncoder()
                        .encodeToString(java.util.HexFormat.of().parseHex(Api.sha256(png))),
                headers.get("x-amz-checksum-sha256"));

        // another length: the signature no longer matches
        assertEquals(403, put(ticket, Api.pngOfSize(4001)));
        assertEquals(403, put(ticket, Api.pngOfSize(3999)));
        // the same length, other content: the checksum does not match
        byte[] other = png.clone();
        other[3000] ^= 1;
        assertEquals(4, put(ticket, other) / 100);
        // the signed headers are required
        Map<String, String> withoutChecksum = new HashMap<>(headers);
        withoutChecksum.remove("x-amz-checksum-sha256");
        assertEquals(403, put(url, withoutChecksum, png));
        assertFalse(exists("uploads/" + id), "nothing was stored");

        assertEquals(200, put(ticket, png));
        assertTrue(exists("uploads/" + id));
        complete(user, id, png);
    }

    @Test
    void aPutAfterCompletionCannotChangeWhatTheAttachmentServes() throws Exception {
        Api.User user = Api.newUser();
        byte[] png = Api.pngOfSize(6000);
        // no SHA-256 announced: only the length binds the PUT, so the store takes a second one
        JsonPath ticket = announce(user, "final.png", png.length, null);
        String id = ticket.getString("id");
        assertEquals(200, put(ticket, png));
        JsonPath attachment = complete(user, id, png);
        String uid = attachment.getString("uid");
        assertEquals("attachments/" + uid, attachment.getString("reference"));
        assertFalse(exists("uploads/" + id), "the upload key is deleted on completion");

        // the presigned URL is still valid for its lifetime: the same URL, other bytes of the same length
        byte[] evil = Api.pngOfSize(6000);
        for (int i = 100; i < evil.length; i++) {
            evil[i] = (byte) 0x41;
        }
        assertNotEquals(Api.sha256(png), Api.sha256(evil));
        assertEquals(200, put(ticket, evil), "the store accepts it (valid signature, right length) …");
        assertTrue(exists("uploads/" + id));
        // … but it lands on the upload key, never on the attachment
        String fresh = given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(200)
                .body("sha256", equalTo(Api.sha256(png)))
                .extract()
                .path("url");
        HttpResponse<byte[]> served = Api.download(fresh);
        assertEquals(200, served.statusCode());
        assertEquals(Api.sha256(png), Api.sha256(served.body()));
        assertArrayEquals(
                png,
                s3.client()
                        .getObjectAsBytes(b -> b.bucket(s3.bucket()).key("attachments/" + uid))
                        .asByteArray());
        // and what the URL wrote after completion is removed once the URL has expired
        assertEquals(
                1,
                TestDatabase.count(
                        DATABASE,
                        "SELECT count(*) FROM pending_deletions WHERE reference = ? AND next_attempt_at > now() + interval '50 minutes'",
                        "uploads/" + id));

        // completing again: the upload is gone
        given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + id + "/complete")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(200)
                .body("sha256", equalTo(Api.sha256(png)));
    }

    @Test
    void aRefusedCompletionLeavesNoAttachmentObject() throws Exception {
        Api.User user = Api.newUser();
        byte[] html =
                "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8);
        JsonPath ticket = announce(user, "x.png", html.length, null);
        String id = ticket.getString("id");
        String uid = (String) TestDatabase.single(DATABASE, "SELECT uid FROM direct_uploads WHERE id = ?", id);
        assertEquals(200, put(ticket, html));
        given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + id + "/complete")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        assertFalse(exists("attachments/" + uid), "the copy made for verification is removed");
        assertFalse(exists("uploads/" + id));
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(404);
    }

    private static JsonPath announce(Api.User user, String filename, int size, String sha256) {
        Map<String, Object> body = new HashMap<>(Map.of("filename", filename, "type", "image/png", "size", size));
        if (sha256 != null) {
            body.put("sha256", sha256);
        }
        return given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static JsonPath complete(Api.User user, String id, byte[] expected) {
        return given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + id + "/complete")
                .then()
                .statusCode(201)
                .body("storageType", equalTo("S3"))
                .body("size", equalTo(expected.length))
                .body("sha256", equalTo(Api.sha256(expected)))
                .extract()
                .jsonPath();
    }

    private static int put(JsonPath ticket, byte[] body) throws Exception {
        return put(ticket.getString("url"), ticket.getMap("headers"), body);
    }

    private static int put(String url, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(Api.local(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return Api.http().send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private boolean exists(String key) {
        try {
            s3.client().headObject(b -> b.bucket(s3.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }
}
