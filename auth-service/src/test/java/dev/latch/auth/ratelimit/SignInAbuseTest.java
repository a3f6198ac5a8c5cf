package dev.latch.auth.ratelimit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import dev.latch.common.security.SecureTokens;
import dev.latch.common.testing.RedisProbe;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Sign-in under attack: parallel guesses, hashing bursts and counters that must never lose their expiry. */
@QuarkusTest
class SignInAbuseTest {

    /** max-failures-per-username in the test profile */
    private static final int LIMIT = 5;

    private static int signIn(String username, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/v1/auth/signin")
                .statusCode();
    }

    private static Map<Integer, Integer> parallel(int n, java.util.function.IntUnaryOperator call) throws Exception {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Integer>> futures = IntStream.range(0, n)
                    .mapToObj(i -> pool.submit(() -> statuses.merge(call.applyAsInt(i), 1, Integer::sum)))
                    .toList();
            for (Future<Integer> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return statuses;
    }

    @Test
    void parallelWrongPasswordsCannotOutrunTheLimit() throws Exception {
        String name = Api.uniqueName("parallel");
        Api.signUp(name);
        Map<Integer, Integer> statuses = parallel(60, i -> signIn(name, "wrong password " + i));
        int unauthorized = statuses.getOrDefault(401, 0);
        assertTrue(unauthorized <= LIMIT, "at most " + LIMIT + " guesses may be checked, got " + statuses);
        assertEquals(60, unauthorized + statuses.getOrDefault(429, 0), "only 401 and 429 expected: " + statuses);
    }

    @Test
    void passwordHashingIsBoundedByPermits() throws Exception {
        Map<Integer, Integer> statuses = parallel(100, i -> signIn(Api.uniqueName("nobody"), "some password " + i));
        assertEquals(
                100, statuses.getOrDefault(401, 0) + statuses.getOrDefault(503, 0), "401 or 503 only: " + statuses);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        double peak = metric(metrics, "latch_password_hashes_active_max");
        double permits = metric(metrics, "latch_password_hashes_permits");
        assertTrue(peak >= 1 && peak <= permits, "peak " + peak + " concurrent hashes, permits " + permits);
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "x", "password", "p".repeat(1025)))
                .post("/v1/auth/signin")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void aCounterWithoutExpiryNeverLocksAUserOutForever() {
        String name = Api.uniqueName("corrupt");
        Api.signUp(name);
        String key = "latch:signin:fail:user:" + SecureTokens.sha256Hex(name);
        // what the old SET NX EX + INCR could leave behind: a count over the limit with no TTL
        RedisProbe.command("SET", key, "999");
        assertEquals(-1, RedisProbe.ttl(key));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> signIn(name, Api.PASSWORD) == 200);
    }

    @Test
    void countersKeepTheirExpiryUnderSustainedFailures() throws Exception {
        String name = Api.uniqueName("soak");
        Api.signUp(name);
        String key = "latch:signin:fail:user:" + SecureTokens.sha256Hex(name);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger withoutTtl = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        long end = System.nanoTime()
                + Duration.ofSeconds(Long.getLong("latch.test.soak-seconds", 20))
                        .toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(21);
        try {
            Future<?> watcher = pool.submit(() -> {
                while (running.get()) {
                    if (RedisProbe.ttl(key) == -1) {
                        withoutTtl.incrementAndGet();
                    }
                }
            });
            List<Future<?>> workers = IntStream.range(0, 20)
                    .<Future<?>>mapToObj(t -> pool.submit(() -> {
                        while (System.nanoTime() < end) {
                            int status = signIn(name, "wrong " + t);
                            assertTrue(status == 401 || status == 429, "status " + status);
                            attempts.incrementAndGet();
                        }
                    }))
                    .toList();
            for (Future<?> w : workers) {
                w.get();
            }
            running.set(false);
            watcher.get();
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
        assertEquals(0, withoutTtl.get(), "a counter was seen without TTL");
        assertTrue(attempts.get() > 100, "attempts " + attempts.get());
        // the window is 4 s in the test profile
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> signIn(name, Api.PASSWORD) == 200);
    }

    private static double metric(String metrics, String name) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
