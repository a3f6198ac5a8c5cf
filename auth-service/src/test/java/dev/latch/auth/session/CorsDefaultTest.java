package dev.latch.auth.session;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** Without {@code latch.cors.origins} no other origin may use the API from a browser: no CORS answer, refresh and signout refused. */
@QuarkusTest
class CorsDefaultTest {

    static final String BROKER_PAGE = "http://localhost:8082";

    @Test
    void noOriginIsAllowedByDefault() {
        String username = Api.uniqueName("nocors");
        Api.signUp(username);
        String cookie = Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .cookie("latch_refresh");
        String token = Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");

        for (String path : new String[] {"/v1/auth/refresh", "/v1/auth/signout", "/v1/users/me"}) {
            Response preflight = given().header("Origin", BROKER_PAGE)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type")
                    .options(path);
            assertNull(preflight.getHeader("Access-Control-Allow-Origin"), path);
            assertNull(preflight.getHeader("Access-Control-Allow-Credentials"), path);
        }
        for (String path : new String[] {"/v1/auth/refresh", "/v1/auth/signout"}) {
            Response refused = given().cookie("latch_refresh", cookie)
                    .header("Origin", BROKER_PAGE)
                    .header("Sec-Fetch-Site", "same-site")
                    .contentType("application/json")
                    .post(path);
            refused.then().statusCode(403).contentType("application/problem+json");
            assertNull(refused.getHeader("Access-Control-Allow-Origin"));
            assertNull(refused.getCookie("latch_refresh"));
        }
        Response me = given().auth().oauth2(token).header("Origin", BROKER_PAGE).get("/v1/users/me");
        me.then().statusCode(200);
        assertNull(me.getHeader("Access-Control-Allow-Origin"), "the page of another origin cannot read the answer");
    }
}
