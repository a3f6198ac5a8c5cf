package dev.latch.auth.ratelimit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A sign-in whose attempt cannot be counted is refused, never checked: with a Redis connection pool
 * that a burst overruns (one connection, no waiting), parallel guesses used to get past the limit as
 * uncounted attempts (60 guesses: 11 checked instead of at most 5).
 */
@QuarkusTest
@TestProfile(SignInLimiterFailsClosedTest.TinyRedisPool.class)
class SignInLimiterFailsClosedTest {

    public static class TinyRedisPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.max-pool-size", "1", "quarkus.redis.max-pool-waiting", "0");
        }
    }

    @Test
    void guessesThatCannotBeCountedAreRefusedWith503() throws Exception {
        String name = Api.uniqueName("overrun");
        Api.signUp(name);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Response> unavailable = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(60);
        try {
            List<Future<?>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String password = "wrong password " + i;
                calls.add(pool.submit(() -> {
                    Response r = given().contentType(ContentType.JSON)
                            .body(Map.of("username", name, "password", password))
                            .post("/v1/auth/signin");
                    statuses.merge(r.statusCode(), 1, Integer::sum);
                    if (r.statusCode() == 503) {
                        unavailable.add(r);
                    }
                }));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(statuses.getOrDefault(401, 0) <= 5, "at most 5 guesses may be checked, got " + statuses);
        assertEquals(
                60,
                statuses.getOrDefault(401, 0) + statuses.getOrDefault(429, 0) + statuses.getOrDefault(503, 0),
                "only 401, 429 and 503 expected: " + statuses);
        for (Response r : unavailable) {
            assertEquals("1", r.header("Retry-After"));
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        }
    }
}
