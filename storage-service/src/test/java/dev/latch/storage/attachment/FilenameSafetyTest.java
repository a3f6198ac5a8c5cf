package dev.latch.storage.attachment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import dev.latch.storage.backend.LocalBackend;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client filenames are stored sanitised and never decide where a file lands. */
@QuarkusTest
class FilenameSafetyTest {

    @Inject
    LocalBackend local;

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.LOCAL);

    @Test
    void dangerousNamesAreStoredSafelyInsideTheDataDirectory() {
        String longName = "x".repeat(296) + ".txt";
        String longUnicode = "é".repeat(300) + ".txt";
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("../../etc/passwd", "passwd");
        expected.put("a/b.txt", "b.txt");
        expected.put("..\\..\\windows\\notes.txt", "notes.txt");
        expected.put("bad\u0000name.txt", "badname.txt");
        expected.put("invoice\u202Egpj.exe", "invoicegpj.exe");
        expected.put("zero\u200Bwidth\u2066.txt", "zerowidth.txt");
        expected.put("line\r\nbreak.txt", "linebreak.txt");
        expected.put("..", "file");
        expected.put("../", "file");
        expected.put(".hidden", "hidden");
        expected.put("what?<is>*this|.txt", "what__is__this_.txt");
        expected.put("CON.txt", "_CON.txt");
        expected.put(longName, "x".repeat(251) + ".txt");
        expected.put(longUnicode, "é".repeat(125) + ".txt");
        expected.put("résumé; final 100% #1.txt", "résumé; final 100% #1.txt");

        Api.User user = Api.newUser();
        byte[] text = "just text\n".getBytes(StandardCharsets.UTF_8);
        Path root = local.root();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            JsonPath a = given().auth()
                    .oauth2(user.token())
                    .contentType("text/plain")
                    .queryParam("filename", e.getKey())
                    .body(text)
                    .post("/api/v1/attachments")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath();
            String stored = a.getString("filename");
            assertEquals(e.getValue(), stored, "stored name of " + e.getKey().replace("\u0000", "\\0"));
            assertTrue(stored.getBytes(StandardCharsets.UTF_8).length <= 255);
            assertFalse(stored.contains("/")
                    || stored.contains("\\")
                    || stored.contains("\u0000")
                    || stored.contains("\u202E"));

            String uid = a.getString("uid");
            Path file = local.resolve(a.getString("reference"));
            assertEquals(root.resolve(uid).resolve(stored), file);
            assertTrue(file.normalize().startsWith(root), "inside the data directory: " + file);
            assertTrue(Files.isRegularFile(file));

            HttpResponse<byte[]> served = Api.get(a.getString("url"));
            assertEquals(200, served.statusCode(), "download of " + stored);
            assertArrayEquals(text, served.body());
            String disposition =
                    served.headers().firstValue("Content-Disposition").orElse("");
            assertTrue(disposition.contains("filename*=UTF-8''"), disposition);
            assertFalse(disposition.contains("\r") || disposition.contains("\n"));
        }
        assertFalse(Files.exists(root.resolve("../../etc/passwd").normalize().resolve("passwd")));
    }

    @Test
    void multipartFilenamesAreSanitisedToo() throws IOException {
        Api.User user = Api.newUser();
        // the directory is the machine's (java.io.tmpdir): files other runs left there are not this request's
        Path uploads =
                Path.of(ConfigProvider.getConfig().getValue("quarkus.http.body.uploads-directory", String.class));
        Set<Path> before = spooled(uploads);
        given().auth()
                .oauth2(user.token())
                .multiPart("file", "../../up/evil.png", Api.png(), "image/png")
                .post("/api/v1/attachments")
                .then()
                .statusCode(201)
                .body("filename", org.hamcrest.Matchers.equalTo("evil.png"));
        // the part was spooled to a temporary file, removed when the request ended
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> before.containsAll(spooled(uploads)));
    }

    private static Set<Path> spooled(Path uploads) throws IOException {
        if (!Files.exists(uploads)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.collect(java.util.stream.Collectors.toSet());
        }
    }
}
