package dev.latch.auth.ratelimit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RateLimitAuditTest {

    @Test
    void tooManyFailuresAnswer429UntilTheWindowEnds() {
        String name = Api.uniqueName("brute");
        Api.signUp(name);
        for (int i = 0; i < 5; i++) {
            Api.signIn(name, "wrong password " + i).then().statusCode(401);
        }
        var limited = Api.signIn(name, Api.PASSWORD);
        limited.then().statusCode(429).contentType("application/problem+json").header("Retry-After", notNullValue());
        assertTrue(Integer.parseInt(limited.getHeader("Retry-After")) >= 1);
        // the window is 4 s in the test profile
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> Api.signIn(name, Api.PASSWORD).statusCode() == 200);
    }

    @Test
    void successResetsTheUsernameCounter() {
        String name = Api.uniqueName("reset");
        Api.signUp(name);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                Api.signIn(name, "wrong").then().statusCode(401);
            }
            Api.signIn(name, Api.PASSWORD).then().statusCode(200);
        }
    }

    @Test
    void clientAddressComesFromTheTrustedProxysForwardedFor() {
        String name = Api.uniqueName("proxied");
        Api.signUp(name);
        given().header("X-Forwarded-For", "203.0.113.7")
                .contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("username", name, "password", "wrong"))
                .post("/v1/auth/signin")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(Api.newAdminToken())
                .queryParam("actor", name)
                .queryParam("type", "auth.signin.failed")
                .get("/v1/audit-events")
                .then()
                .statusCode(200)
                .body("items[0].ip", equalTo("203.0.113.7"));
    }

    @Test
    void auditEventsAreListedForAdminsNewestFirstWithPaging() {
        String name = Api.uniqueName("audited");
        Api.signUp(name);
        Api.signIn(name, "wrong").then().statusCode(401);
        Api.signIn(name, Api.PASSWORD).then().statusCode(200);
        String admin = Api.newAdminToken();

        given().auth()
                .oauth2(admin)
                .queryParam("actor", name)
                .get("/v1/audit-events")
                .then()
                .statusCode(200)
                .body(
                        "items.type",
                        org.hamcrest.Matchers.contains("auth.signin.succeeded", "auth.signin.failed", "auth.signup"))
                .body("items[0].ip", notNullValue())
                .body("items[0].occurredAt", notNullValue());
        given().auth()
                .oauth2(admin)
                .queryParam("type", "auth.signup")
                .get("/v1/audit-events")
                .then()
                .statusCode(200)
                .body("items.type", everyItem(equalTo("auth.signup")));

        var page1 = given().auth()
                .oauth2(admin)
                .queryParam("actor", name)
                .queryParam("pageSize", 2)
                .get("/v1/audit-events")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .extract()
                .jsonPath();
        String next = page1.getString("nextPageToken");
        given().auth()
                .oauth2(admin)
                .queryParam("actor", name)
                .queryParam("pageSize", 2)
                .queryParam("pageToken", next)
                .get("/v1/audit-events")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].type", equalTo("auth.signup"))
                .body("nextPageToken", equalTo(null));
        assertNotEquals(null, next);

        given().auth()
                .oauth2(admin)
                .queryParam("pageSize", 0)
                .get("/v1/audit-events")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(admin)
                .queryParam("pageToken", "!!")
                .get("/v1/audit-events")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(Api.newUserToken())
                .get("/v1/audit-events")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().get("/v1/audit-events").then().statusCode(401);
    }
}
