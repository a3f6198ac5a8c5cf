package dev.latch.storage.attachment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.common.testing.CleartextHttp2;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import dev.latch.storage.backend.LocalBackend;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 200 MiB upload and download through a JVM whose heap is capped at 160 MiB: only works if both
 * directions stream. Surefire runs this class alone in a fresh JVM (execution {@code large-upload}), so
 * nothing earlier in the suite has warmed up connections or caches it could depend on.
 */
@QuarkusTest
class LargeUploadTest {

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.saving();

    private static final long SIZE = 200L * 1024 * 1024;

    @Inject
    LocalBackend local;

    @Test
    void twoHundredMebibytesStreamThroughASmallHeap() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() < SIZE, "the test JVM's heap must be smaller than the file");
        Api.putSettings(Map.of("defaultBackend", "LOCAL", "maxUploadBytes", 256L * 1024 * 1024));
        Api.User user = Api.newUser();
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        HttpRequest request = HttpRequest.newBuilder(
                        Api.local(Api.PUBLIC_BASE_URL + "/api/v1/attachments?filename=big.png"))
                .header("Authorization", "Bearer " + user.token())
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(
                                () -> new DigestInputStream(new GeneratedPng(SIZE), sent)),
                        SIZE))
                .build();
        // a new client, like a first-time caller: its first request offers the upgrade to HTTP/2 over
        // clear text (Upgrade: h2c), which the service must decline rather than buffer the body
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode body = new ObjectMapper().readTree(response.body());
        String expected = HexFormat.of().formatHex(sent.digest());
        assertEquals(SIZE, body.get("size").asLong());
        assertEquals(expected, body.get("sha256").asText());
        assertEquals("image/png", body.get("type").asText());
        Path file = local.resolve(body.get("reference").asText());
        assertEquals(SIZE, Files.size(file));

        HttpResponse<InputStream> download = client.send(
                HttpRequest.newBuilder(Api.local(body.get("url").asText()))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode());
        try (InputStream in = download.body()) {
            assertEquals(expected, Api.sha256(in));
        }

        given().auth()
                .oauth2(user.token())
                .delete("/api/v1/attachments/" + body.get("uid").asText())
                .then()
                .statusCode(204);
        assertTrue(Files.notExists(file));
    }

    @Test
    void http2UpgradeOverClearTextIsDeclined() throws Exception {
        String status = CleartextHttp2.statusLineOfUpgrade(RestAssured.port, "/api/v1/attachments?filename=a.png");
        assertTrue(status.startsWith("HTTP/1.1 ") && !status.startsWith("HTTP/1.1 101"), status);
    }

    /** A PNG signature followed by pseudo-random bytes, generated as it is read. */
    static final class GeneratedPng extends InputStream {
        private final long size;
        private final byte[] head = Api.png();
        private long pos;
        private long state = 0x9E3779B97F4A7C15L;

        GeneratedPng(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - pos);
            for (int i = 0; i < n; i++) {
                long p = pos + i;
                if (p < head.length) {
                    b[off + i] = head[(int) p];
                } else {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                    b[off + i] = (byte) state;
                }
            }
            pos += n;
            return n;
        }
    }
}
