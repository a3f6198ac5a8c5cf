package dev.latch.storage;

import static io.restassured.RestAssured.given;

import dev.latch.common.testing.ResponseHeaders;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries nosniff, Referrer-Policy and a Cache-Control; answers with a user's attachments
 * or signed URLs are no-store; HSTS only when the request came over TLS (behind a trusted proxy too).
 */
@QuarkusTest
class SecurityHeadersTest {

    @Test
    void everyKindOfAnswerCarriesTheSecurityHeadersOnce() {
        ResponseHeaders.assertSecurityHeadersEverywhere("/api/v1/attachments", "/file/attachments/x/y");
    }

    @Test
    void answersWithAttachmentsAndSignedUrlsAreNoStore() {
        Api.User user = Api.newUser();
        var created = Api.uploadMultipart(user.token(), "headers.png", Api.png(), "image/png");
        ResponseHeaders.assertNoStore(created, "an upload");
        String id = created.path("id");
        ResponseHeaders.assertNoStore(given().auth().oauth2(user.token()).get("/api/v1/attachments"), "the listing");
        ResponseHeaders.assertNoStore(
                given().auth().oauth2(user.token()).get("/api/v1/attachments/" + id), "one attachment");
    }

    @Test
    void hstsOnlyWhenTheRequestCameOverTls() {
        ResponseHeaders.assertHstsOnlyOverTls("/q/health/live");
        ResponseHeaders.assertHstsOnlyOverTls("/api/v1/attachments");
    }

    @Test
    void noUnlistedOriginMayCallTheApiFromABrowser() {
        ResponseHeaders.assertNoCorsFor("https://other.example.com", "/api/v1/attachments");
        ResponseHeaders.assertNoCorsFor("http://localhost:8082", "/api/v1/attachments");
    }
}
