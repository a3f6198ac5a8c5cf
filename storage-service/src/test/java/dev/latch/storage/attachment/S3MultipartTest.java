package dev.latch.storage.attachment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import dev.latch.storage.backend.S3Clients;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Files larger than one part go to S3 as multipart uploads of equal parts, and a refused one is aborted. */
@QuarkusTest
class S3MultipartTest {

    private static final int MIB = 1024 * 1024;

    @Inject
    S3Clients s3;

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.S3_PRESIGNED);

    @Test
    void aFileOfSeveralPartsArrivesWhole() throws Exception {
        long size = 11L * MIB + 123;
        Api.User user = Api.newUser();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpResponse<String> response = post(user, new DigestInputStream(new LargeUploadTest.GeneratedPng(size), sent));
        assertEquals(201, response.statusCode(), response.body());
        JsonNode body = new ObjectMapper().readTree(response.body());
        String expected = HexFormat.of().formatHex(sent.digest());
        assertEquals(size, body.get("size").asLong());
        assertEquals(expected, body.get("sha256").asText());

        var head = s3.client()
                .headObject(b -> b.bucket(s3.bucket()).key(body.get("reference").asText()));
        assertEquals(size, head.contentLength());
        assertTrue(
                head.eTag().endsWith("-3\""), "three equal parts and a last one (5 + 5 + 1 MiB), was " + head.eTag());

        HttpResponse<InputStream> download = Api.http()
                .send(
                        HttpRequest.newBuilder(Api.local(body.get("url").asText()))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = download.body()) {
            assertEquals(expected, Api.sha256(in));
        }
        given().auth()
                .oauth2(user.token())
                .delete("/api/v1/attachments/" + body.get("uid").asText())
                .then()
                .statusCode(204);
    }

    @Test
    void aRefusedMultipartUploadIsAbortedAndLeavesNothing() throws Exception {
        Api.putSettings(Map.of("maxUploadBytes", 6 * MIB));
        Api.User user = Api.newUser();
        long before = objects();
        HttpResponse<String> response = post(user, new LargeUploadTest.GeneratedPng(7L * MIB));
        assertEquals(413, response.statusCode(), response.body());
        assertEquals(before, objects());
        assertEquals(
                0,
                s3.client()
                        .listMultipartUploads(b -> b.bucket(s3.bucket()))
                        .uploads()
                        .size(),
                "the multipart upload was aborted");
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", org.hamcrest.Matchers.hasSize(0));
    }

    /** Streams the body without a Content-Length, so the limit can only be enforced while it arrives. */
    private static HttpResponse<String> post(Api.User user, InputStream body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        Api.local(Api.PUBLIC_BASE_URL + "/api/v1/attachments?filename=parts.png"))
                .header("Authorization", "Bearer " + user.token())
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .build();
        return Api.http().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private long objects() {
        return s3.client().listObjectsV2Paginator(b -> b.bucket(s3.bucket()).prefix("attachments/")).contents().stream()
                .count();
    }
}
