package dev.latch.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.storage.attachment.AttachmentSuite;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every route but the two upload routes takes at most 64 KiB of body, refused with 413 problem+json
 * before the body is buffered — announced ({@code Content-Length}) or not (chunked); uploads keep the
 * large limit. The test JVM's heap is 160 MiB: the 50 MB bodies are generated as they are sent.
 */
@QuarkusTest
class BodyLimitTest {

    private static final int LIMIT = 64 * 1024;
    private static final long FIFTY_MB = 50L * 1000 * 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.LOCAL);

    @Test
    void aFiftyMegabyteFilenameIsRefusedWith413BeforeItIsRead() throws Exception {
        Api.User user = Api.newUser();
        HttpResponse<String> r = send(
                user.token(),
                "POST",
                "/api/v1/attachments/uploads",
                () -> uploadRequestWithFilenameOf(FIFTY_MB),
                FIFTY_MB);
        assertProblem413(r);
        assertEquals("close", r.headers().firstValue("Connection").orElse(""));
    }

    @Test
    void aChunkedBodyIsCountedAndRefusedAtTheLimit() throws Exception {
        Api.User user = Api.newUser();
        HttpResponse<String> r = send(
                user.token(), "POST", "/api/v1/attachments/uploads", () -> uploadRequestWithFilenameOf(FIFTY_MB), -1);
        assertProblem413(r);

        // one byte over the limit, chunked
        long over = LIMIT + 1;
        assertProblem413(
                send(user.token(), "POST", "/api/v1/attachments/uploads", () -> uploadRequestOfLength(over), -1));
    }

    @Test
    void bodiesUpToTheLimitWorkAnnouncedOrChunked() throws Exception {
        Api.User user = Api.newUser();
        for (long length : new long[] {LIMIT, -1}) {
            HttpResponse<String> r = send(
                    user.token(), "POST", "/api/v1/attachments/uploads", () -> uploadRequestOfLength(LIMIT), length);
            assertEquals(201, r.statusCode(), r.body());
            assertEquals("PUT", JSON.readTree(r.body()).get("method").asText());
        }
        // a small chunked body reaches the endpoint intact
        HttpResponse<String> small = send(
                user.token(),
                "POST",
                "/api/v1/attachments/uploads",
                () -> new ByteArrayInputStream(
                        "{\"filename\":\"c.png\",\"type\":\"image/png\",\"size\":5}".getBytes(StandardCharsets.UTF_8)),
                -1);
        assertEquals(201, small.statusCode(), small.body());
        HttpResponse<String> over = send(
                user.token(), "POST", "/api/v1/attachments/uploads", () -> uploadRequestOfLength(LIMIT + 1), LIMIT + 1);
        assertProblem413(over);
    }

    @Test
    void everyNonUploadRouteHasTheLimitEvenWithoutAToken() throws Exception {
        String admin = Api.admin();
        assertProblem413(send(admin, "PUT", "/api/v1/storage/settings", () -> padded(LIMIT + 1), LIMIT + 1));
        assertProblem413(send(admin, "PUT", "/api/v1/storage/settings", () -> padded(LIMIT + 1), -1));
        assertProblem413(send(admin, "POST", "/api/v1/storage/migrations", () -> padded(2 * LIMIT), 2 * LIMIT));
        assertProblem413(send(null, "POST", "/api/v1/attachments/uploads/x/complete", () -> padded(LIMIT + 1), -1));
        assertProblem413(send(null, "POST", "/q/health", () -> padded(LIMIT + 1), LIMIT + 1));
        assertProblem413(send(null, "PUT", "/file/attachments/a/b", () -> padded(LIMIT + 1), LIMIT + 1));
        // the settings are unchanged, and a settings body within the limit still works
        assertEquals("LOCAL", Api.settings().get("defaultBackend"));
        HttpResponse<String> ok = send(admin, "PUT", "/api/v1/storage/settings", () -> padded(LIMIT), LIMIT);
        assertEquals(200, ok.statusCode(), ok.body());
    }

    /** Over a plain socket: java.net.http in JDK 17 never completes an expect-continue exchange answered with a final status. */
    @Test
    void aClientThatWaitsFor100ContinueNeverSendsTheBody() throws Exception {
        Api.User user = Api.newUser();
        String head = "POST /api/v1/attachments/uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + user.token() + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write((head + "Content-Length: " + FIFTY_MB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RawResponse r = RawResponse.read(socket.getInputStream());
            assertEquals(413, r.status(), r.head());
            assertTrue(r.head().toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"), r.head());
            assertEquals(413, JSON.readTree(r.body()).get("status").asInt());
        }
        // a chunked body within the limit: 100 Continue, then the body is read
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            RawResponse interim = RawResponse.read(in);
            assertEquals(100, interim.status(), interim.head());
            byte[] json = "{\"filename\":\"e.png\",\"type\":\"image/png\",\"size\":5}".getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(json.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawResponse created = RawResponse.read(in);
            assertEquals(201, created.status(), created.head() + created.body());
        }
    }

    /** A status line, headers and a body of {@code Content-Length} bytes, read off a socket. */
    record RawResponse(int status, String head, String body) {
        static RawResponse read(InputStream in) throws java.io.IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new java.io.EOFException("connection closed after: " + head);
                }
                head.append((char) c);
            }
            int status = Integer.parseInt(head.substring(9, 12));
            long length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            return new RawResponse(
                    status, head.toString(), new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
        }
    }

    @Test
    void uploadsLargerThanTheLimitStillWork() throws Exception {
        Api.User user = Api.newUser();
        byte[] png = Api.pngOfSize(300 * 1024);
        Api.uploadMultipart(user.token(), "big.png", png, "image/png")
                .then()
                .statusCode(201)
                .body("size", equalTo(png.length))
                .body("sha256", equalTo(Api.sha256(png)));
        Api.uploadRaw(user.token(), "big.png", png, "image/png")
                .then()
                .statusCode(201)
                .body("size", equalTo(png.length));
        HttpResponse<String> chunked = send(
                user.token(),
                "POST",
                "/api/v1/attachments?filename=chunked.png",
                () -> new ByteArrayInputStream(png),
                -1,
                "image/png");
        assertEquals(201, chunked.statusCode(), chunked.body());
        assertEquals(
                Api.sha256(png), JSON.readTree(chunked.body()).get("sha256").asText());

        // the direct-upload target of DATABASE/LOCAL is an upload route too
        JsonPath ticket = given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of("filename", "direct.png", "type", "image/png", "size", png.length))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertEquals(2, AttachmentSuite.put(ticket, png) / 100);
        String url = given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + ticket.getString("id") + "/complete")
                .then()
                .statusCode(201)
                .body("size", equalTo(png.length))
                .extract()
                .path("url");
        assertArrayEquals(png, Api.download(url).body());

        // the upload limit still applies there, before the body is read
        Api.putSettings(Map.of("maxUploadBytes", 100 * 1024));
        HttpResponse<String> tooBig = send(
                user.token(),
                "POST",
                "/api/v1/attachments?filename=big.png",
                () -> new ByteArrayInputStream(png),
                png.length,
                "image/png");
        assertProblem413(tooBig);
    }

    private static void assertProblem413(HttpResponse<String> r) throws Exception {
        assertEquals(413, r.statusCode(), r.body());
        assertEquals(
                "application/problem+json",
                r.headers().firstValue("Content-Type").orElse(""));
        JsonNode problem = JSON.readTree(r.body());
        assertEquals("about:blank", problem.get("type").asText());
        assertEquals("Content Too Large", problem.get("title").asText());
        assertEquals(413, problem.get("status").asInt());
        assertTrue(problem.get("detail").asText().contains("limit"), r.body());
    }

    private static HttpResponse<String> send(
            String token, String method, String path, Supplier<InputStream> body, long length) throws Exception {
        return send(token, method, path, body, length, "application/json");
    }

    /** {@code length < 0}: no Content-Length, the body goes chunked. A new client each time: a refused body closes its connection. */
    private static HttpResponse<String> send(
            String token, String method, String path, Supplier<InputStream> body, long length, String type)
            throws Exception {
        HttpRequest.BodyPublisher publisher = length < 0
                ? HttpRequest.BodyPublishers.ofInputStream(body)
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
        HttpRequest.Builder b = HttpRequest.newBuilder(Api.local(Api.PUBLIC_BASE_URL + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", type)
                .method(method, publisher);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code {"filename":"aaa…a.png","type":"image/png","size":10}} of exactly {@code total} bytes, generated as it is read. */
    static InputStream uploadRequestWithFilenameOf(long total) {
        byte[] head = "{\"filename\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = ".png\",\"type\":\"image/png\",\"size\":10}".getBytes(StandardCharsets.UTF_8);
        return new SequenceInputStream(
                new SequenceInputStream(
                        new ByteArrayInputStream(head), new Repeated((byte) 'a', total - head.length - tail.length)),
                new ByteArrayInputStream(tail));
    }

    /** A valid upload request padded with spaces to exactly {@code total} bytes. */
    static InputStream uploadRequestOfLength(long total) {
        byte[] json = "{\"filename\":\"p.png\",\"type\":\"image/png\",\"size\":10}".getBytes(StandardCharsets.UTF_8);
        return new SequenceInputStream(new ByteArrayInputStream(json), new Repeated((byte) ' ', total - json.length));
    }

    /** A settings change that changes nothing, padded with spaces to exactly {@code total} bytes. */
    static InputStream padded(long total) {
        byte[] json = "{\"urlTtlSeconds\":900}".getBytes(StandardCharsets.UTF_8);
        return new SequenceInputStream(new ByteArrayInputStream(json), new Repeated((byte) ' ', total - json.length));
    }

    /** {@code count} copies of one byte, without holding them. */
    static final class Repeated extends InputStream {
        private final byte value;
        private long remaining;

        Repeated(byte value, long count) {
            this.value = value;
            this.remaining = count;
        }

        @Override
        public int read() {
            if (remaining <= 0) {
                return -1;
            }
            remaining--;
            return value & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, value);
            remaining -= n;
            return n;
        }
    }
}
