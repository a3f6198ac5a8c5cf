package dev.latch.idp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.PrivateRedis;
import dev.latch.common.testing.PrivateRedisResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The broker's Redis (login state, /start rate limit) really stopped and restarted: while it is down,
 * /start and callbacks are 503 problem+json with Retry-After and readiness is DOWN; within 5 s of its
 * return everything works again, and no state from before the outage (lost with Redis) or already used
 * is accepted.
 */
@QuarkusTest
@TestProfile(RedisOutageTest.OwnRedis.class)
class RedisOutageTest {

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrivateRedisResource.class));
        }
    }

    @Test
    void redisStoppedIs503ReadinessDownAndFullRecoveryWithoutStaleState() {
        PrivateRedis redis = PrivateRedisResource.server();
        String provider = Flows.createOidcProvider(Map.of());
        // a login that completes before the outage: the state is stored in this Redis, and then used
        Flows.loginAtMock(provider, "before-outage", Map.of())
                .then()
                .statusCode(307)
                .header("Location", "/app");
        Flows.Started used = Flows.started(provider, "/app");
        Flows.callback(provider, Map.of("error", "access_denied", "state", used.state()), used.bindingCookie())
                .then()
                .statusCode(307);
        // a login started before the outage and never finished: its state dies with Redis
        Flows.Started pending = Flows.started(provider, "/app");
        String pendingCode = Flows.codeAtMock(pending.location(), "pending-user", Map.of());

        redis.kill();
        assertTrue(redis.refusesConnections(), "Redis is really down");

        unavailable(Flows.start(provider, "/app"));
        unavailable(Flows.callback(
                provider, Map.of("code", pendingCode, "state", pending.state()), pending.bindingCookie()));
        given().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("DOWN"));

        redis.start();
        long back = System.nanoTime();
        AtomicReference<Response> lastStart = new AtomicReference<>();
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Response r = Flows.start(provider, "/app");
                    lastStart.set(r);
                    return r.statusCode() == 307
                            && given().get("/q/health/ready").statusCode() == 200;
                });
        long recoveredMs = (System.nanoTime() - back) / 1_000_000;
        System.out.println("broker recovered " + recoveredMs + " ms after Redis returned");

        given().get("/q/health/ready").then().statusCode(200).body("checks.status", not(hasItem("DOWN")));
        // the state issued before the outage was lost with Redis: refused, even with its real code and cookie
        Flows.callback(provider, Map.of("code", pendingCode, "state", pending.state()), pending.bindingCookie())
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // a used state stays used
        Flows.callback(provider, Map.of("error", "access_denied", "state", used.state()), used.bindingCookie())
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        // and a new login completes from start to finish
        Flows.loginAtMock(provider, "after-outage", Map.of())
                .then()
                .statusCode(307)
                .header("Location", "/app");
    }

    private static void unavailable(Response r) {
        r.then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Set-Cookie", nullValue())
                .body("status", equalTo(503));
        String retryAfter = r.header("Retry-After");
        assertTrue(retryAfter != null && Integer.parseInt(retryAfter) >= 1, "Retry-After: " + retryAfter);
        String body = r.asString();
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("redis"), body);
        assertEquals(-1, body.indexOf("127.0.0.1"), body);
    }
}
