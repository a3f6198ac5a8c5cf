package dev.latch.auth.session;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.auth.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RefreshConcurrencyTest {

    @TestHTTPResource("/v1/auth/refresh")
    URI refreshUri;

    @Test
    void fiftyConcurrentRefreshesYieldOneSuccessorAndLaterReuseRevokesTheFamily() throws Exception {
        String name = Api.uniqueName("race");
        Api.signUp(name);
        String original = Api.signIn(name, Api.PASSWORD).getCookie("latch_refresh");

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper json = new ObjectMapper();
        int n = 50;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                answers.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                start.await();
                                return http.send(
                                        HttpRequest.newBuilder(refreshUri)
                                                .header("Content-Type", "application/json")
                                                .POST(HttpRequest.BodyPublishers.ofString(
                                                        "{\"refreshToken\":\"" + original + "\"}"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        pool));
            }
            start.countDown();
            Set<String> successors = new HashSet<>();
            for (var answer : answers) {
                HttpResponse<String> r = answer.get();
                assertEquals(200, r.statusCode(), r.body());
                successors.add((String) json.readValue(r.body(), Map.class).get("refreshToken"));
            }
            assertEquals(1, successors.size(), "every answer inside the grace window carries the same successor");
        } finally {
            pool.shutdownNow();
        }

        long tokensInFamily = Api.count(
                "SELECT count(*) FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id "
                        + "JOIN users u ON u.id = f.user_id WHERE u.username = ?",
                name);
        assertEquals(2, tokensInFamily, "the original and exactly one successor");

        // after the grace window (5 s in the test profile) the original is evidence of theft
        String successor = given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", original))
                .post("/v1/auth/refresh")
                .then()
                .statusCode(200)
                .extract()
                .path("refreshToken");
        Awaitility.await()
                .pollDelay(Duration.ofSeconds(6))
                .atMost(Duration.ofSeconds(10))
                .until(() -> true);
        given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", original))
                .post("/v1/auth/refresh")
                .then()
                .statusCode(401);
        given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", successor))
                .post("/v1/auth/refresh")
                .then()
                .statusCode(401);
        long reuseEvents = Api.count("SELECT count(*) FROM audit_events WHERE type = 'auth.refresh.reuse_detected'");
        assertTrue(reuseEvents >= 1);
        // the event names whose session was revoked
        long namingTheOwner = Api.count(
                "SELECT count(*) FROM audit_events e JOIN users u ON u.id::text = e.actor_id"
                        + " WHERE e.type = 'auth.refresh.reuse_detected' AND u.username = ? AND e.actor = ?",
                name,
                name);
        assertEquals(1, namingTheOwner, "auth.refresh.reuse_detected names the session's owner");
    }

    @Test
    void rotationDoesNotExtendTheAbsoluteLifetime() {
        String name = Api.uniqueName("lifetime");
        Api.signUp(name);
        var first = Api.signIn(name, Api.PASSWORD);
        long age1 = first.getDetailedCookie("latch_refresh").getMaxAge();
        var second = given().cookie("latch_refresh", first.getCookie("latch_refresh"))
                .post("/v1/auth/refresh");
        long age2 = second.getDetailedCookie("latch_refresh").getMaxAge();
        assertTrue(age2 <= age1 && age1 <= 30 * 24 * 3600, age1 + " then " + age2);
    }
}
