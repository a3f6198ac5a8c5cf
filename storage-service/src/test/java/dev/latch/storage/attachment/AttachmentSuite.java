package dev.latch.storage.attachment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.TestDatabase;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same upload / read / delete behaviour, run against each backend: subclasses pick the backend
 * through the settings API and say how to count what is stored on it.
 */
public abstract class AttachmentSuite {

    private static final byte[] HTML =
            "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SVG = ("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\""
                    + " height=\"1\"><script>alert(1)</script></svg>")
            .getBytes(StandardCharsets.UTF_8);

    private static final String DATABASE = "latch_storage_test";

    abstract String backend();

    /** How many blobs the backend holds right now. */
    abstract long blobCount() throws Exception;

    /** Whether the blob of this reference exists on the backend. */
    abstract boolean blobExists(String reference) throws Exception;

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.changing(() -> Map.of("defaultBackend", backend()));

    @Test
    void uploadReadListAndDelete() throws Exception {
        Api.User user = Api.newUser();
        byte[] png = Api.png();
        JsonPath created = Api.uploadMultipart(user.token(), "photo.png", png, "image/png")
                .then()
                .statusCode(201)
                .header("Location", notNullValue())
                .body("filename", equalTo("photo.png"))
                .body("type", equalTo("image/png"))
                .body("size", equalTo(png.length))
                .body("sha256", equalTo(Api.sha256(png)))
                .body("storageType", equalTo(backend()))
                .body("owner", equalTo(user.id()))
                .body("reference", notNullValue())
                .body("createdAt", notNullValue())
                .body("url", notNullValue())
                .body("urlExpiresAt", notNullValue())
                .extract()
                .jsonPath();
        String uid = created.getString("uid");
        String reference = created.getString("reference");
        Instant expires = Instant.parse(created.getString("urlExpiresAt"));
        assertTrue(Duration.between(Instant.now(), expires).toSeconds() > 800, "default lifetime is 900 s");
        assertTrue(blobExists(reference));

        HttpResponse<byte[]> download = Api.download(created.getString("url"));
        assertEquals(200, download.statusCode());
        assertArrayEquals(png, download.body());

        String fresh = given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(200)
                .body("uid", equalTo(uid))
                .body("storageType", equalTo(backend()))
                .extract()
                .path("url");
        assertArrayEquals(png, Api.download(fresh).body());

        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].uid", equalTo(uid))
                .body("nextPageToken", nullValue());

        given().auth()
                .oauth2(user.token())
                .delete("/api/v1/attachments/" + uid)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertFalse(blobExists(reference), "the blob is removed with the record");
        assertEquals(404, Api.download(fresh).statusCode());
        given().auth()
                .oauth2(user.token())
                .delete("/api/v1/attachments/" + uid)
                .then()
                .statusCode(404);
    }

    @Test
    void rawBodyUploadIsMeasuredAndTyped() {
        Api.User user = Api.newUser();
        byte[] text = "plain words, nothing else\n".getBytes(StandardCharsets.UTF_8);
        String url = Api.uploadRaw(user.token(), "notes.txt", text, "text/plain")
                .then()
                .statusCode(201)
                .body("filename", equalTo("notes.txt"))
                .body("type", equalTo("text/plain"))
                .body("size", equalTo(text.length))
                .body("sha256", equalTo(Api.sha256(text)))
                .body("storageType", equalTo(backend()))
                .extract()
                .path("url");
        assertArrayEquals(text, Api.download(url).body());

        given().auth()
                .oauth2(user.token())
                .contentType("application/octet-stream")
                .body(text)
                .post("/api/v1/attachments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void listIsNewestFirstWithCursorPaging() {
        Api.User user = Api.newUser();
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            uids.add(Api.uploadRaw(
                            user.token(),
                            "n" + i + ".txt",
                            ("note " + i).getBytes(StandardCharsets.UTF_8),
                            "text/plain")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("uid"));
        }
        JsonPath first = given().auth()
                .oauth2(user.token())
                .queryParam("pageSize", 2)
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .extract()
                .jsonPath();
        assertEquals(List.of(uids.get(2), uids.get(1)), first.getList("items.uid"));
        String token = first.getString("nextPageToken");
        assertTrue(token != null && !token.isEmpty());
        given().auth()
                .oauth2(user.token())
                .queryParam("pageSize", 2)
                .queryParam("pageToken", token)
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].uid", equalTo(uids.get(0)))
                .body("items[0].url", notNullValue())
                .body("nextPageToken", nullValue());
        given().auth()
                .oauth2(user.token())
                .queryParam("pageSize", 0)
                .get("/api/v1/attachments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(user.token())
                .queryParam("pageToken", "!!not-a-token!!")
                .get("/api/v1/attachments")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void sizeAtTheLimitIsAcceptedAndOneByteMoreIsRefusedLeavingNothing() throws Exception {
        Api.putSettings(Map.of("maxUploadBytes", 2048));
        Api.User user = Api.newUser();
        long blobs = blobCount();

        Api.uploadMultipart(user.token(), "exact.png", Api.pngOfSize(2048), "image/png")
                .then()
                .statusCode(201)
                .body("size", equalTo(2048));
        Api.uploadMultipart(user.token(), "over.png", Api.pngOfSize(2049), "image/png")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
        Api.uploadRaw(user.token(), "over.png", Api.pngOfSize(2049), "image/png")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        Api.uploadRaw(user.token(), "exact.png", Api.pngOfSize(2048), "image/png")
                .then()
                .statusCode(201);

        // no Content-Length: the limit is enforced while the body streams
        HttpRequest chunked = HttpRequest.newBuilder(
                        Api.local(Api.PUBLIC_BASE_URL + "/api/v1/attachments?filename=c.png"))
                .header("Authorization", "Bearer " + user.token())
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(Api.pngOfSize(4096))))
                .build();
        HttpResponse<String> response = Api.http().send(chunked, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals(
                "application/problem+json",
                response.headers().firstValue("Content-Type").orElse(""));

        given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("items.filename", equalTo(List.of("exact.png", "exact.png")));
        assertEquals(blobs + 2, blobCount(), "refused uploads leave no blob");
    }

    @Test
    void typeOutsideTheAllowlistIs415() throws Exception {
        Api.User user = Api.newUser();
        long blobs = blobCount();
        byte[] elf = new byte[256];
        byte[] head = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(head, 0, elf, 0, head.length);
        Api.uploadMultipart(user.token(), "tool", elf, "application/octet-stream")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        Api.uploadMultipart(user.token(), "page.html", HTML, "text/html").then().statusCode(415);
        given().auth().oauth2(user.token()).get("/api/v1/attachments").then().body("items", hasSize(0));
        assertEquals(blobs, blobCount());
    }

    @Test
    void contentThatContradictsTheDeclaredTypeIs415() throws Exception {
        Api.User user = Api.newUser();
        long blobs = blobCount();
        Api.uploadMultipart(user.token(), "cat.png", HTML, "image/png")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        Api.uploadRaw(user.token(), "cat.png", HTML, "image/png").then().statusCode(415);
        // an SVG is allowed, but not as a PNG
        Api.uploadRaw(user.token(), "cat.png", SVG, "image/png").then().statusCode(415);
        given().auth().oauth2(user.token()).get("/api/v1/attachments").then().body("items", hasSize(0));
        assertEquals(blobs, blobCount());
    }

    @Test
    void svgAndHtmlAreServedAsDownloadsWithNosniff() {
        List<String> types = new ArrayList<>(
                Api.settings().get("allowedTypes") instanceof List<?> l
                        ? l.stream().map(String::valueOf).toList()
                        : List.of());
        types.add("text/html");
        Api.putSettings(Map.of("allowedTypes", types, "delivery", "PROXY"));
        Api.User user = Api.newUser();

        String svgUrl = Api.uploadMultipart(user.token(), "logo.svg", SVG, "image/svg+xml")
                .then()
                .statusCode(201)
                .body("type", equalTo("image/svg+xml"))
                .extract()
                .path("url");
        HttpResponse<byte[]> svg = Api.download(svgUrl);
        assertEquals(200, svg.statusCode());
        assertEquals("image/svg+xml", svg.headers().firstValue("Content-Type").orElse(""));
        assertTrue(svg.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"));
        assertEquals(
                "nosniff", svg.headers().firstValue("X-Content-Type-Options").orElse(""));

        String htmlUrl = Api.uploadRaw(user.token(), "page.html", HTML, "text/html")
                .then()
                .statusCode(201)
                .body("type", equalTo("text/html"))
                .extract()
                .path("url");
        HttpResponse<byte[]> html = Api.download(htmlUrl);
        assertEquals(200, html.statusCode());
        assertEquals(
                "attachment; filename=\"page.html\"; filename*=UTF-8''page.html",
                html.headers().firstValue("Content-Disposition").orElse(""));
        assertEquals(
                "nosniff", html.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertTrue(
                html.headers().firstValue("Content-Security-Policy").orElse("").contains("sandbox"));

        String pngUrl = Api.uploadMultipart(user.token(), "ok.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .extract()
                .path("url");
        assertTrue(Api.download(pngUrl)
                .headers()
                .firstValue("Content-Disposition")
                .orElse("")
                .startsWith("inline;"));
    }

    @Test
    void anotherUsersAttachmentIsNotFoundButAnAdminSeesIt() {
        Api.User owner = Api.newUser();
        Api.User other = Api.newUser();
        String uid = Api.uploadMultipart(owner.token(), "mine.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .extract()
                .path("uid");
        given().auth()
                .oauth2(other.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(other.token())
                .get("/api/v1/attachments/" + uid + "/url")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(other.token())
                .delete("/api/v1/attachments/" + uid)
                .then()
                .statusCode(404);
        given().auth().oauth2(other.token()).get("/api/v1/attachments").then().body("items", hasSize(0));
        given().auth()
                .oauth2(Api.admin())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(200)
                .body("owner", equalTo(owner.id()));
        given().auth()
                .oauth2(owner.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(200);
    }

    @Test
    void rangesAndConditionalRequests() {
        Api.putSettings(Map.of("delivery", "PROXY"));
        Api.User user = Api.newUser();
        byte[] text = "0123456789abcdefghij".getBytes(StandardCharsets.UTF_8);
        JsonPath a = Api.uploadRaw(user.token(), "digits.txt", text, "text/plain")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String url = a.getString("url");
        assertTrue(
                url.startsWith(Api.PUBLIC_BASE_URL + "/file/attachments/"),
                "PROXY delivery serves through this service");
        String etag = "\"" + a.getString("sha256") + "\"";

        HttpResponse<byte[]> full = Api.get(url);
        assertEquals(200, full.statusCode());
        assertEquals(etag, full.headers().firstValue("ETag").orElse(""));
        assertEquals("bytes", full.headers().firstValue("Accept-Ranges").orElse(""));
        assertEquals("20", full.headers().firstValue("Content-Length").orElse(""));

        HttpResponse<byte[]> head = Api.get(url, "Range", "bytes=0-3");
        assertEquals(206, head.statusCode());
        assertEquals("bytes 0-3/20", head.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals("0123".getBytes(StandardCharsets.UTF_8), head.body());

        HttpResponse<byte[]> middle = Api.get(url, "Range", "bytes=10-");
        assertEquals(206, middle.statusCode());
        assertArrayEquals("abcdefghij".getBytes(StandardCharsets.UTF_8), middle.body());

        HttpResponse<byte[]> tail = Api.get(url, "Range", "bytes=-2");
        assertEquals(206, tail.statusCode());
        assertArrayEquals("ij".getBytes(StandardCharsets.UTF_8), tail.body());

        HttpResponse<byte[]> outside = Api.get(url, "Range", "bytes=20-30");
        assertEquals(416, outside.statusCode());
        assertEquals("bytes */20", outside.headers().firstValue("Content-Range").orElse(""));
        assertEquals(
                "application/problem+json",
                outside.headers().firstValue("Content-Type").orElse(""));

        assertEquals(304, Api.get(url, "If-None-Match", etag).statusCode());
        assertEquals(200, Api.get(url, "If-None-Match", "\"other\"").statusCode());
        HttpResponse<byte[]> staleIfRange = Api.get(url, "Range", "bytes=0-3", "If-Range", "\"other\"");
        assertEquals(200, staleIfRange.statusCode());
        assertArrayEquals(text, staleIfRange.body());
    }

    /** Ranges that overflow a long, malformed ones and odd ones: 206, 416 or ignored (200), never an error. */
    @Test
    void hugeAndMalformedRangesAreAnsweredNeverFail() {
        Api.putSettings(Map.of("delivery", "PROXY"));
        Api.User user = Api.newUser();
        byte[] text = "0123456789abcdefghij".getBytes(StandardCharsets.UTF_8);
        String url = Api.uploadRaw(user.token(), "digits.txt", text, "text/plain")
                .then()
                .statusCode(201)
                .extract()
                .path("url");

        // first position beyond any long (and beyond the file): unsatisfiable
        for (String range : List.of(
                "bytes=9999999999999999999-",
                "bytes=99999999999999999999999999-",
                "bytes=9223372036854775807-",
                "bytes=9223372036854775808-9223372036854775809",
                "bytes=20-",
                "bytes=-0")) {
            HttpResponse<byte[]> r = Api.get(url, "Range", range);
            assertEquals(416, r.statusCode(), range);
            assertEquals("bytes */20", r.headers().firstValue("Content-Range").orElse(""), range);
            assertEquals(
                    "application/problem+json",
                    r.headers().firstValue("Content-Type").orElse(""),
                    range);
        }
        // a suffix too large for any long: the header is ignored, the whole file with 200
        for (String range : List.of("bytes=-99999999999999999999", "bytes=-9999999999999999999")) {
            HttpResponse<byte[]> r = Api.get(url, "Range", range);
            assertEquals(200, r.statusCode(), range);
            assertArrayEquals(text, r.body(), range);
        }
        // a suffix or a last position longer than the file: the whole file (RFC 9110 §14.1.3)
        for (String range : List.of(
                "bytes=-9223372036854775806",
                "bytes=0-99999999999999999999",
                "bytes=0-9223372036854775807",
                "bytes=-21")) {
            HttpResponse<byte[]> r = Api.get(url, "Range", range);
            assertEquals(206, r.statusCode(), range);
            assertEquals(
                    "bytes 0-19/20", r.headers().firstValue("Content-Range").orElse(""), range);
            assertArrayEquals(text, r.body(), range);
        }
        HttpResponse<byte[]> tail = Api.get(url, "Range", "bytes=15-99999999999999999999");
        assertEquals(206, tail.statusCode());
        assertEquals(
                "bytes 15-19/20", tail.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals("fghij".getBytes(StandardCharsets.UTF_8), tail.body());
        HttpResponse<byte[]> upper = Api.get(url, "Range", "BYTES=0-3");
        assertEquals(206, upper.statusCode(), "the range unit is case-insensitive");
        assertArrayEquals("0123".getBytes(StandardCharsets.UTF_8), upper.body());

        // malformed, several ranges, other units, end before start: ignored, the whole file
        for (String range : List.of(
                "bytes=",
                "bytes=-",
                "bytes=abc-def",
                "bytes=5-2",
                "bytes=0--1",
                "bytes=-1-2",
                "bytes=1-2-3",
                "bytes=0-1,3-4",
                "bytes=+1-2",
                "bytes=0x10-",
                "bytes=1.5-2",
                "pages=0-3",
                "bytes 0-3",
                "=0-3",
                "bytes=" + "9".repeat(5000) + "-" + "9".repeat(4000) + "x")) {
            HttpResponse<byte[]> r = Api.get(url, "Range", range);
            assertEquals(200, r.statusCode(), range);
            assertArrayEquals(text, r.body(), range);
        }
    }

    @Test
    void urlEndpointSignsWithABoundedLifetime() {
        Api.User user = Api.newUser();
        String uid = Api.uploadMultipart(user.token(), "t.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .extract()
                .path("uid");
        JsonPath url = given().auth()
                .oauth2(user.token())
                .queryParam("ttl", 60)
                .get("/api/v1/attachments/" + uid + "/url")
                .then()
                .statusCode(200)
                .body("url", notNullValue())
                .extract()
                .jsonPath();
        long seconds = Duration.between(Instant.now(), Instant.parse(url.getString("expiresAt")))
                .toSeconds();
        assertTrue(seconds > 50 && seconds <= 61, "expires in about 60 s, was " + seconds);
        assertArrayEquals(Api.png(), Api.download(url.getString("url")).body());
        for (String bad : List.of("0", "-5", "604801", "abc")) {
            given().auth()
                    .oauth2(user.token())
                    .queryParam("ttl", bad)
                    .get("/api/v1/attachments/" + uid + "/url")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().auth()
                .oauth2(user.token())
                .queryParam("ttl", 604800)
                .get("/api/v1/attachments/" + uid + "/url")
                .then()
                .statusCode(200);
    }

    @Test
    void directUploadIsVerifiedBeforeTheAttachmentExists() throws Exception {
        Api.User user = Api.newUser();
        byte[] png = Api.pngOfSize(5000);
        JsonPath ticket = given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "filename", "direct.png", "type", "image/png", "size", png.length, "sha256", Api.sha256(png)))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .body("id", notNullValue())
                .body("method", equalTo("PUT"))
                .body("headers.Content-Type", equalTo("image/png"))
                .body("expiresAt", notNullValue())
                .extract()
                .jsonPath();
        assertEquals(200 / 100, put(ticket, png) / 100);
        String uid = given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + ticket.getString("id") + "/complete")
                .then()
                .statusCode(201)
                .body("storageType", equalTo(backend()))
                .body("size", equalTo(png.length))
                .body("sha256", equalTo(Api.sha256(png)))
                .body("type", equalTo("image/png"))
                .extract()
                .path("uid");
        String url = given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(200)
                .extract()
                .path("url");
        assertArrayEquals(png, Api.download(url).body());
        given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + ticket.getString("id") + "/complete")
                .then()
                .statusCode(404);

        // the announced checksum does not match what arrives: refused, and the blob is removed
        long blobs = blobCount();
        byte[] other = Api.pngOfSize(5000);
        other[4000] ^= 1;
        JsonPath wrong = given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "filename", "direct.png", "type", "image/png", "size", other.length, "sha256", Api.sha256(png)))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        // S3 refuses the PUT itself (x-amz-checksum-sha256 is signed); the others accept it and completion refuses
        int wrongPut = put(wrong, other);
        assertTrue(wrongPut / 100 == 2 || ("S3".equals(backend()) && wrongPut / 100 == 4), "PUT answered " + wrongPut);
        given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + wrong.getString("id") + "/complete")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertEquals(blobs, blobCount());

        // the content is not what was announced
        byte[] html = HTML;
        JsonPath spoof = given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of("filename", "x.png", "type", "image/png", "size", html.length))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertEquals(2, put(spoof, html) / 100);
        given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + spoof.getString("id") + "/complete")
                .then()
                .statusCode(415);
        assertEquals(blobs, blobCount());

        // more bytes than announced: refused at the PUT, by this service (413) or by S3 (Content-Length is signed)
        JsonPath small = given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of("filename", "s.png", "type", "image/png", "size", 100))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        int putStatus = put(small, png);
        if ("S3".equals(backend())) {
            assertEquals(403, putStatus, "the store refuses a length other than the signed one");
        } else {
            assertEquals(413, putStatus);
        }
        assertEquals(blobs, blobCount());
        given().auth().oauth2(user.token()).get("/api/v1/attachments").then().body("items", hasSize(1));

        // refused up front
        given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of("filename", "a.exe", "type", "application/x-msdownload", "size", 10))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(415);
        given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of("filename", "big.png", "type", "image/png", "size", 1L << 40))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(413);
        given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of("type", "image/png", "size", 10))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(400);
    }

    @Test
    void directUploadNeverCompletedIsRemovedAfterItsLifetime() throws Exception {
        Api.User user = Api.newUser();
        byte[] png = Api.pngOfSize(3000);
        JsonPath ticket = given().auth()
                .oauth2(user.token())
                .contentType(ContentType.JSON)
                .body(Map.of("filename", "abandoned.png", "type", "image/png", "size", png.length))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String id = ticket.getString("id");
        assertEquals(2, put(ticket, png) / 100);
        String reference =
                (String) TestDatabase.single(DATABASE, "SELECT reference FROM direct_uploads WHERE id = ?", id);
        assertTrue(blobExists(reference), "the PUT stored the bytes");

        // its lifetime (and the grace for a PUT still under way) is over; the scheduled job removes it
        assertEquals(
                1,
                TestDatabase.update(
                        DATABASE,
                        "UPDATE direct_uploads SET expires_at = now() - interval '6 minutes' WHERE id = ?",
                        id));
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> TestDatabase.count(DATABASE, "SELECT count(*) FROM direct_uploads WHERE id = ?", id) == 0
                        && !blobExists(reference)
                        && TestDatabase.count(
                                        DATABASE,
                                        "SELECT count(*) FROM pending_deletions WHERE reference = ?",
                                        reference)
                                == 0);
        given().auth()
                .oauth2(user.token())
                .post("/api/v1/attachments/uploads/" + id + "/complete")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    /** PUTs the body to a direct-upload URL with the headers the ticket lists; the HTTP status. */
    public static int put(JsonPath ticket, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(Api.local(ticket.getString("url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> headers = ticket.getMap("headers");
        headers.forEach(b::header);
        HttpResponse<String> r = Api.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }
}
