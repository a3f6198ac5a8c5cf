package dev.latch.storage.presign;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.S3ProxyResource;
import dev.latch.storage.Api;
import dev.latch.storage.SettingsRestorer;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signed URLs are the only key to the bytes: altered or expired ones are refused, by us and by the S3 server. */
@QuarkusTest
class SignedUrlTest {

    @RegisterExtension
    final SettingsRestorer settings = SettingsRestorer.saving();

    @Test
    void hmacUrlDownloadsAndAlteredOrExpiredOnesAreRefused() {
        Api.putSettings(Map.of("defaultBackend", "LOCAL"));
        Api.User user = Api.newUser();
        String url = Api.uploadMultipart(user.token(), "signed.png", Api.png(), "image/png")
                .then()
                .statusCode(201)
                .extract()
                .path("url");
        assertTrue(url.startsWith(Api.PUBLIC_BASE_URL + "/file/attachments/"));
        HttpResponse<byte[]> ok = Api.get(url);
        assertEquals(200, ok.statusCode());
        assertArrayEquals(Api.png(), ok.body());

        String sig = url.replaceAll(".*[?&]sig=([^&]+).*", "$1");
        char first = sig.charAt(0);
        String altered = url.replace("sig=" + sig, "sig=" + (first == 'A' ? 'B' : 'A') + sig.substring(1));
        HttpResponse<byte[]> refused = Api.get(altered);
        assertEquals(403, refused.statusCode());
        assertEquals(
                "application/problem+json",
                refused.headers().firstValue("Content-Type").orElse(""));

        String exp = url.replaceAll(".*[?&]exp=([0-9]+).*", "$1");
        assertEquals(
                403,
                Api.status(url.replace("exp=" + exp, "exp=" + (Long.parseLong(exp) + 3600))),
                "a longer lifetime breaks the signature");
        assertEquals(403, Api.status(url.replace("/signed.png?", "/other.png?")), "the filename is signed");
        assertEquals(403, Api.status(url.substring(0, url.indexOf('?'))), "no signature, no bytes");

        String uid = url.replaceAll(".*/file/attachments/([^/]+)/.*", "$1");
        String shortLived = given().auth()
                .oauth2(user.token())
                .queryParam("ttl", 1)
                .get("/api/v1/attachments/" + uid + "/url")
                .then()
                .statusCode(200)
                .extract()
                .path("url");
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Api.status(shortLived) == 403);
    }

    @Test
    void presignedS3UrlDownloadsWithPlainHttpAndAlteredOrExpiredOnesAreRefusedByTheStore() {
        Api.putSettings(Map.of("defaultBackend", "S3", "delivery", "PRESIGNED"));
        Api.User user = Api.newUser();
        byte[] png = Api.png();
        String uid = Api.uploadMultipart(user.token(), "store.png", png, "image/png")
                .then()
                .statusCode(201)
                .extract()
                .path("uid");
        String url = given().auth()
                .oauth2(user.token())
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(200)
                .extract()
                .path("url");
        assertTrue(url.startsWith(S3ProxyResource.endpoint().toString()), "PRESIGNED: the store's own URL, was " + url);
        HttpResponse<byte[]> ok = Api.get(url);
        assertEquals(200, ok.statusCode());
        assertArrayEquals(png, ok.body());
        assertTrue(ok.headers().firstValue("Content-Disposition").orElse("").startsWith("inline;"));

        String signature = url.replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        char last = signature.charAt(signature.length() - 1);
        String tampered = url.replace(
                "X-Amz-Signature=" + signature,
                "X-Amz-Signature=" + signature.substring(0, signature.length() - 1) + (last == '0' ? '1' : '0'));
        assertEquals(403, Api.status(tampered));

        String shortLived = given().auth()
                .oauth2(user.token())
                .queryParam("ttl", 1)
                .get("/api/v1/attachments/" + uid + "/url")
                .then()
                .statusCode(200)
                .extract()
                .path("url");
        assertTrue(shortLived.contains("X-Amz-Expires=1&") || shortLived.contains("X-Amz-Expires=1"));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> Api.status(shortLived) == 403);
    }

    @Test
    void s3AttachmentBehindTheFileRouteIsProxiedOrRedirected() {
        Api.putSettings(Map.of("defaultBackend", "S3", "delivery", "PROXY"));
        Api.User user = Api.newUser();
        byte[] png = Api.png();
        String url = Api.uploadMultipart(user.token(), "both.png", png, "image/png")
                .then()
                .statusCode(201)
                .body("storageType", org.hamcrest.Matchers.equalTo("S3"))
                .extract()
                .path("url");
        assertTrue(url.startsWith(Api.PUBLIC_BASE_URL + "/file/attachments/"), "PROXY: this service's URL");
        HttpResponse<byte[]> proxied = Api.get(url);
        assertEquals(200, proxied.statusCode());
        assertArrayEquals(png, proxied.body());
        assertEquals(
                "nosniff",
                proxied.headers().firstValue("X-Content-Type-Options").orElse(""));
        HttpResponse<byte[]> range = Api.get(url, "Range", "bytes=1-3");
        assertEquals(206, range.statusCode());
        assertArrayEquals(new byte[] {png[1], png[2], png[3]}, range.body());

        Api.putSettings(Map.of("delivery", "PRESIGNED"));
        HttpResponse<byte[]> redirect = Api.get(url);
        assertEquals(302, redirect.statusCode());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(S3ProxyResource.endpoint().toString()));
        assertArrayEquals(png, Api.get(location).body());

        String sig = url.replaceAll(".*[?&]sig=([^&]+).*", "$1");
        assertEquals(403, Api.status(url.replace("sig=" + sig, "sig=" + new StringBuilder(sig).reverse())));
    }
}
