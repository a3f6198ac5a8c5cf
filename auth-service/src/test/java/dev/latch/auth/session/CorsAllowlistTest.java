package dev.latch.auth.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local run's broker page (another origin of the same site) listed in {@code latch.cors.origins}: it
 * may refresh, read the user and sign out with the browser's cookie; every other origin still may not.
 */
@QuarkusTest
@TestProfile(CorsAllowlistTest.LocalRun.class)
class CorsAllowlistTest {

    public static class LocalRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.cors.origins", "http://localhost:8082, http://127.0.0.1:8082");
        }
    }

    static final String PAGE = "http://localhost:8082";

    private static String signedInCookie(String username) {
        Api.signUp(username);
        return Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .cookie("latch_refresh");
    }

    @Test
    void preflightOfAListedOriginIsAnsweredWithCredentials() {
        for (String origin : new String[] {PAGE, "http://127.0.0.1:8082"}) {
            for (String path : new String[] {"/v1/auth/refresh", "/v1/auth/signout", "/v1/users/me"}) {
                given().header("Origin", origin)
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type,authorization")
                        .options(path)
                        .then()
                        .statusCode(204)
                        .header("Access-Control-Allow-Origin", origin)
                        .header("Access-Control-Allow-Credentials", "true")
                        .header("Access-Control-Allow-Methods", containsString("POST"))
                        .header("Access-Control-Allow-Headers", containsString("Content-Type"))
                        .header("Access-Control-Allow-Headers", containsString("Authorization"))
                        .header("Vary", containsString("Origin"));
            }
        }
    }

    @Test
    void theListedPageRefreshesReadsTheUserAndSignsOut() {
        String username = Api.uniqueName("page");
        String cookie = signedInCookie(username);

        Response refreshed = given().cookie("latch_refresh", cookie)
                .header("Origin", PAGE)
                .header("Sec-Fetch-Site", "same-site")
                .contentType("application/json")
                .post("/v1/auth/refresh");
        refreshed
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", PAGE)
                .header("Access-Control-Allow-Credentials", "true");
        String next = refreshed.getCookie("latch_refresh");
        assertNotNull(next);

        given().auth()
                .oauth2(refreshed.<String>path("accessToken"))
                .header("Origin", PAGE)
                .get("/v1/users/me")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", PAGE)
                .body("username", equalTo(username));
        // a 401 is readable by the page too, so it can show the sign-in options
        given().header("Origin", PAGE)
                .get("/v1/users/me")
                .then()
                .statusCode(401)
                .header("Access-Control-Allow-Origin", PAGE);

        given().cookie("latch_refresh", next)
                .header("Origin", PAGE)
                .header("Sec-Fetch-Site", "same-site")
                .contentType("application/json")
                .body("{}")
                .post("/v1/auth/signout")
                .then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", PAGE);
        given().cookie("latch_refresh", next)
                .header("Origin", PAGE)
                .post("/v1/auth/refresh")
                .then()
                .statusCode(401);
    }

    @Test
    void unlistedOriginsAndCrossSiteRequestsAreStillRefused() {
        String cookie = signedInCookie(Api.uniqueName("other"));
        for (String origin : new String[] {
            "http://localhost:8083",
            "https://localhost:8082",
            "http://evil.example",
            "null",
            "http://localhost:8082.evil.example"
        }) {
            Response preflight = given().header("Origin", origin)
                    .header("Access-Control-Request-Method", "POST")
                    .options("/v1/auth/refresh");
            assertNull(preflight.getHeader("Access-Control-Allow-Origin"), origin);
            for (String path : new String[] {"/v1/auth/refresh", "/v1/auth/signout"}) {
                Response refused = given().cookie("latch_refresh", cookie)
                        .header("Origin", origin)
                        .post(path);
                refused.then().statusCode(403).contentType("application/problem+json");
                assertNull(refused.getHeader("Access-Control-Allow-Origin"), origin);
            }
        }
        // listed, but the browser says the page is of another site: refused
        given().cookie("latch_refresh", cookie)
                .header("Origin", PAGE)
                .header("Sec-Fetch-Site", "cross-site")
                .post("/v1/auth/refresh")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        // the session survived all of that
        Response ok =
                given().cookie("latch_refresh", cookie).header("Origin", PAGE).post("/v1/auth/refresh");
        ok.then().statusCode(200);
        assertTrue(ok.getHeader("Vary").contains("Origin"));
    }
}
