package dev.latch.storage.attachment;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that goes away in the middle of its upload is not a server error: the request ends without a 500
 * in the metrics, nothing is stored, and the log has no ERROR and no stack trace for it (DEBUG only).
 */
@QuarkusTest
class ClientDisconnectTest {

    private static final Path LOG = Path.of("target/logs/test-service.log");
    private static final Pattern SERVER_ERRORS = Pattern.compile(
            "http_server_requests_seconds_count\\{[^}]*status=\"5\\d\\d\"[^}]*uri=\"/api/v1/attachments\"[^}]*} ([0-9.E]+)");
    private static final Pattern ALL =
            Pattern.compile("http_server_requests_seconds_count\\{[^}]*uri=\"/api/v1/attachments\"[^}]*} ([0-9.E]+)");

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.LOCAL);

    @Test
    void aRawUploadCutOffByItsClientIsNoServerError() throws Exception {
        Api.User user = Api.newUser();
        cutOff(
                user,
                "POST /api/v1/attachments?filename=cut.bin HTTP/1.1\r\nContent-Type: application/octet-stream\r\n",
                "");
    }

    @Test
    void aMultipartUploadCutOffByItsClientIsNoServerError() throws Exception {
        Api.User user = Api.newUser();
        cutOff(
                user,
                "POST /api/v1/attachments HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=cut\r\n",
                "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n");
    }

    private static void cutOff(Api.User user, String head, String preamble) throws Exception {
        long attachments = given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items")
                .size();
        double errorsBefore = metric(SERVER_ERRORS);
        double requestsBefore = metric(ALL);
        long logBefore = Files.exists(LOG) ? Files.size(LOG) : 0;

        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write((head + "Host: localhost\r\nAuthorization: Bearer " + user.token() + "\r\nContent-Length: "
                            + (8 * 1024 * 1024) + "\r\n\r\n" + preamble)
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[256 * 1024]);
            out.flush();
        }

        // the request is over once the metrics count it
        await().atMost(Duration.ofSeconds(20)).until(() -> metric(ALL) > requestsBefore);
        assertEquals(errorsBefore, metric(SERVER_ERRORS), "a request cut off by its client is no 5xx");
        String log = Files.readString(LOG, StandardCharsets.UTF_8).substring((int) logBefore);
        List<String> errors = log.lines()
                .filter(l -> l.contains(" ERROR ") || l.startsWith("\tat "))
                .toList();
        assertTrue(errors.isEmpty(), "the cut-off upload logged: " + errors);
        assertEquals(
                attachments,
                given().auth()
                        .oauth2(user.token())
                        .get("/api/v1/attachments")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items")
                        .size(),
                "nothing is stored");
    }

    private static double metric(Pattern pattern) throws IOException {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        Matcher m = pattern.matcher(metrics);
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
