package dev.latch.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL drops every connection of the service (what a restart does to its pool): each request gets
 * its answer or a retryable 503 with Retry-After, never a 500, and the service recovers by itself.
 */
@QuarkusTest
class DatabaseConnectionsLostTest {

    @Test
    void droppedConnectionsAre503AtWorstAndTheServiceRecovers() {
        String token = Api.newUserToken();
        given().auth().oauth2(token).get("/v1/users/me").then().statusCode(200);

        Object dropped = Api.single(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE datname = ? AND pid <> pg_backend_pid()",
                Api.DATABASE);
        assertTrue(((Number) dropped).longValue() > 0, "no pooled connection to drop");

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Response r = given().auth().oauth2(token).get("/v1/users/me");
            statuses.add(r.statusCode());
            if (r.statusCode() == 503) {
                assertEquals("1", r.header("Retry-After"));
                assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            }
        }
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 503), "only 200 or 503 expected: " + statuses);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> given().auth().oauth2(token).get("/v1/users/me").statusCode() == 200);
        System.out.println("after dropping the pool's connections: " + statuses);
    }
}
