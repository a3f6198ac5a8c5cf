package dev.latch.auth.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Refresh is limited as sign-in is: an address that presented too many bad refresh tokens in the window
 * (here 5 in 4 s; 60 in 15 minutes by default) is refused 429 with Retry-After before any token is looked up — at /v1/auth/refresh and at
 * the refresh_token grant — while other addresses and, after the window, the same one refresh as usual.
 */
@QuarkusTest
@TestProfile(RefreshRateLimitTest.FiveBadRefreshes.class)
class RefreshRateLimitTest {

    private static final int LIMIT = 5;

    public static class FiveBadRefreshes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.auth.rate-limit.max-refresh-failures-per-ip", String.valueOf(LIMIT));
        }
    }

    @Test
    void badRefreshTokensFromOneAddressAreLimitedAtTheRefreshEndpoint() {
        String attacker = randomAddress();
        for (int i = 0; i < LIMIT; i++) {
            from(attacker)
                    .cookie("latch_refresh", "not-a-refresh-token-" + i)
                    .post("/v1/auth/refresh")
                    .then()
                    .statusCode(401);
        }
        String good = newRefreshToken();
        from(attacker)
                .cookie("latch_refresh", good)
                .post("/v1/auth/refresh")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .header("Cache-Control", "no-store");
        // another address is not affected, and the refused attempt did not use up the good token
        from(randomAddress())
                .cookie("latch_refresh", good)
                .post("/v1/auth/refresh")
                .then()
                .statusCode(200);
        String next = newRefreshToken();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> from(attacker)
                                .cookie("latch_refresh", next)
                                .post("/v1/auth/refresh")
                                .statusCode()
                        == 200);
    }

    @Test
    void badRefreshTokensFromOneAddressAreLimitedAtTheTokenEndpoint() {
        String attacker = randomAddress();
        for (int i = 0; i < LIMIT; i++) {
            grant(from(attacker), "not-a-refresh-token-" + i)
                    .then()
                    .statusCode(400)
                    .body("error", equalTo("invalid_grant"));
        }
        String good = newRefreshToken();
        grant(from(attacker), good)
                .then()
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("temporarily_unavailable"))
                .body("error_description", containsString("Try again in"));
        grant(from(randomAddress()), good).then().statusCode(200).body("refresh_token", notNullValue());
    }

    private static io.restassured.response.Response grant(RequestSpecification spec, String refreshToken) {
        return spec.formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken)
                .post("/oauth2/token");
    }

    private static String newRefreshToken() {
        String username = Api.uniqueName("refresh-limit");
        Api.signUp(username);
        return Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .cookie("latch_refresh");
    }

    private static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address);
    }

    /** A documentation address (RFC 5737) of its own per test, so no other test's counter is shared. */
    private static String randomAddress() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.51." + r.nextInt(100, 255) + "." + r.nextInt(1, 255);
    }
}
