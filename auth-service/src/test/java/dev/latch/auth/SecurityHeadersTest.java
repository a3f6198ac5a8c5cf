package dev.latch.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.common.testing.ResponseHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries nosniff, Referrer-Policy and a Cache-Control; every answer that carries a token,
 * a session or personal data is no-store; HSTS only when the request came over TLS.
 */
@QuarkusTest
class SecurityHeadersTest {

    @Test
    void everyKindOfAnswerCarriesTheSecurityHeadersOnce() {
        ResponseHeaders.assertSecurityHeadersEverywhere(
                "/.well-known/jwks.json", "/.well-known/openid-configuration", "/v1/users/me");
    }

    @Test
    void documentsMadeForCachingKeepTheirOwnCacheControl() {
        assertEquals(
                "public, max-age=300",
                given().get("/.well-known/openid-configuration").header("Cache-Control"));
    }

    @Test
    void everyTokenBearingAnswerIsNoStore() {
        String username = Api.uniqueName("headers");
        ResponseHeaders.assertNoStore(
                given().contentType(ContentType.JSON)
                        .body(Map.of("username", username, "password", Api.PASSWORD))
                        .post("/v1/auth/signup"),
                "sign-up");
        Response signIn = Api.signIn(username, Api.PASSWORD);
        ResponseHeaders.assertNoStore(signIn, "sign-in");
        String access = signIn.path("accessToken");
        String refresh = signIn.getCookie("latch_refresh");
        ResponseHeaders.assertNoStore(given().cookie("latch_refresh", refresh).post("/v1/auth/refresh"), "refresh");
        ResponseHeaders.assertNoStore(given().auth().oauth2(access).get("/v1/users/me"), "the signed-in user");
        ResponseHeaders.assertNoStore(given().auth().oauth2(access).get("/v1/users/me/sessions"), "the sessions");
        Response pat = given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "headers"))
                .post("/v1/users/me/tokens");
        ResponseHeaders.assertNoStore(pat, "a new PAT");
        ResponseHeaders.assertNoStore(
                given().auth()
                        .preemptive()
                        .basic("latch-dev", "latch-dev-secret")
                        .formParam("grant_type", "client_credentials")
                        .post("/oauth2/token"),
                "client_credentials");
        ResponseHeaders.assertNoStore(
                given().auth()
                        .preemptive()
                        .basic("latch-dev", "latch-dev-secret")
                        .formParam("token", access)
                        .post("/oauth2/introspect"),
                "introspection");
        ResponseHeaders.assertNoStore(
                given().auth()
                        .preemptive()
                        .basic("latch-dev", "latch-dev-secret")
                        .formParam("grant_type", "client_credentials")
                        .formParam("scope", "no-such-scope")
                        .post("/oauth2/token"),
                "an OAuth error");
        ResponseHeaders.assertNoStore(Api.signIn(username, "wrong password"), "a refused sign-in");
    }

    @Test
    void hstsOnlyWhenTheRequestCameOverTls() {
        ResponseHeaders.assertHstsOnlyOverTls("/q/health/live");
        ResponseHeaders.assertHstsOnlyOverTls("/.well-known/jwks.json");
    }
}
