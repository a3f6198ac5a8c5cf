package dev.latch.storage;

import static io.restassured.RestAssured.given;

import dev.latch.common.testing.AuthServerStub;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/** Helpers shared by the storage tests: tokens, settings, uploads, and fetching signed URLs with plain HTTP. */
public final class Api {

    public static final String PUBLIC_BASE_URL = "http://localhost:8083";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private Api() {}

    /** A user of auth-service: its id is the token's subject, the attachments' owner. */
    public record User(String username, String id, String token) {}

    public static User newUser() {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
        return new User(username, subjectOf(username), AuthServerStub.userToken(username, "USER"));
    }

    public static String admin() {
        return AuthServerStub.userToken("admin-" + UUID.randomUUID().toString().substring(0, 8), "ADMIN");
    }

    /** The subject (owner id) AuthServerStub puts in a token for this username. */
    public static String subjectOf(String username) {
        return UUID.nameUUIDFromBytes(username.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static Map<String, Object> settings() {
        return given().auth()
                .oauth2(admin())
                .get("/api/v1/storage/settings")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
    }

    public static Map<String, Object> putSettings(Map<String, ?> change) {
        return given().auth()
                .oauth2(admin())
                .contentType(ContentType.JSON)
                .body(change)
                .put("/api/v1/storage/settings")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
    }

    public static Response uploadMultipart(String token, String filename, byte[] content, String mimeType) {
        return given().auth()
                .oauth2(token)
                .multiPart("file", filename, content, mimeType)
                .post("/api/v1/attachments");
    }

    public static Response uploadRaw(String token, String filename, byte[] content, String contentType) {
        return given().auth()
                .oauth2(token)
                .contentType(contentType)
                .queryParam("filename", filename)
                .body(content)
                .post("/api/v1/attachments");
    }

    /** A URL the service handed out, made to point at the test server when it is one of ours. */
    public static URI local(String url) {
        if (url.startsWith(PUBLIC_BASE_URL)) {
            return URI.create("http://localhost:" + RestAssured.port + url.substring(PUBLIC_BASE_URL.length()));
        }
        return URI.create(url);
    }

    public static HttpResponse<byte[]> get(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(local(url)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET that follows one redirect (a PRESIGNED S3 URL behind /file answers 302). */
    public static HttpResponse<byte[]> download(String url) {
        HttpResponse<byte[]> r = get(url);
        if (r.statusCode() == 302) {
            return get(r.headers().firstValue("Location").orElseThrow());
        }
        return r;
    }

    public static int status(String url) {
        return get(url).statusCode();
    }

    public static HttpClient http() {
        return HTTP;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A small valid PNG (1×1). */
    public static byte[] png() {
        return HexFormat.of()
                .parseHex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        + "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082");
    }

    /** A PNG-looking file of the given size: the signature, then filler. */
    public static byte[] pngOfSize(int size) {
        byte[] b = new byte[size];
        byte[] head = png();
        System.arraycopy(head, 0, b, 0, Math.min(head.length, size));
        for (int i = head.length; i < size; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }
}
