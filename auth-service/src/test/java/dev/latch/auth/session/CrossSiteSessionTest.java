package dev.latch.auth.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Login CSRF: another site's page must not swap a browser into another session, or end its session. */
@QuarkusTest
class CrossSiteSessionTest {

    private static String refreshCookieOf(String username) {
        Api.signUp(username);
        return Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .cookie("latch_refresh");
    }

    @Test
    void crossSiteFormPostingAnAttackersTokenGetsNoSession() {
        String attackers = refreshCookieOf(Api.uniqueName("attacker"));
        // what an HTML form on evil.example sends: text/plain, the browser's Origin and Fetch metadata
        Response answer = given().contentType("text/plain")
                .header("Origin", "https://evil.example")
                .header("Sec-Fetch-Site", "cross-site")
                .body("{\"refreshToken\":\"" + attackers + "\"}")
                .post("/v1/auth/refresh");
        answer.then().statusCode(403).contentType("application/problem+json");
        assertNull(answer.getCookie("latch_refresh"));
    }

    @Test
    void foreignOriginOrCrossSiteFetchIsRefusedOnRefreshAndSignout() {
        String cookie = refreshCookieOf(Api.uniqueName("victim"));
        for (String path : new String[] {"/v1/auth/refresh", "/v1/auth/signout"}) {
            given().cookie("latch_refresh", cookie)
                    .header("Origin", "https://evil.example")
                    .post(path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().cookie("latch_refresh", cookie)
                    .header("Origin", "null")
                    .post(path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().cookie("latch_refresh", cookie)
                    .header("Sec-Fetch-Site", "cross-site")
                    .post(path)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        // the session survived every refused request: same-origin and non-browser calls still work
        given().cookie("latch_refresh", cookie)
                .header("Origin", "http://localhost:8081")
                .header("Sec-Fetch-Site", "same-origin")
                .post("/v1/auth/refresh")
                .then()
                .statusCode(200);
    }

    @TestHTTPResource("/")
    URI base;

    /** A raw POST (rest-assured insists on encoding form and multipart bodies itself). */
    private HttpResponse<String> rawPost(String path, String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokenInABodyThatIsNotJsonIsRefused() throws Exception {
        String token = refreshCookieOf(Api.uniqueName("plain"));
        String json = "{\"refreshToken\":\"" + token + "\"}";
        for (String type :
                new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            HttpResponse<String> answer = rawPost("v1/auth/refresh", type, json);
            assertEquals(415, answer.statusCode(), type);
            assertEquals(
                    "application/problem+json",
                    answer.headers().firstValue("Content-Type").orElse(""));
            assertTrue(
                    answer.headers().allValues("Set-Cookie").stream()
                            .noneMatch(c -> c.startsWith("latch_refresh=") && !c.startsWith("latch_refresh=;")),
                    answer.headers().toString());
        }
        assertEquals(415, rawPost("v1/auth/signout", "text/plain", json).statusCode());
        // the token was never used, so it still rotates
        given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", token))
                .post("/v1/auth/refresh")
                .then()
                .statusCode(200);
    }

    @Test
    void tokenFromTheBodyIsAnsweredInTheBodyWithoutACookie() {
        String token = refreshCookieOf(Api.uniqueName("spa"));
        Response answer = given().contentType("application/json; charset=UTF-8")
                .body(Map.of("refreshToken", token))
                .post("/v1/auth/refresh");
        answer.then().statusCode(200).body("refreshToken", not(emptyOrNullString()));
        assertNull(answer.getCookie("latch_refresh"));

        Response out = given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", answer.path("refreshToken")))
                .post("/v1/auth/signout");
        assertEquals(204, out.statusCode());
        assertNull(out.getCookie("latch_refresh"));
    }
}
