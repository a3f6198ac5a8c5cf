package dev.latch.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The sign-in limiter's Redis really stopped and restarted: while it is down every sign-in — right or
 * wrong password — is refused with 503 problem+json and Retry-After, no password is checked (no
 * sign-in audit event), and readiness is DOWN; within 5 s of Redis returning sign-in works again.
 */
@QuarkusTest
@TestProfile(RedisOutageTest.OwnRedis.class)
class RedisOutageTest {

    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.auth.rate-limit.window", "1M");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrivateRedisResource.class));
        }
    }

    @Test
    void signInFailsClosedWhileRedisIsDownAndRecovers() {
        PrivateRedis redis = PrivateRedisResource.server();
        String alice = Api.uniqueName("alice");
        String mallory = Api.uniqueName("target");
        Api.signUp(alice);
        Api.signUp(mallory);
        Api.signIn(alice, Api.PASSWORD).then().statusCode(200);
        // the target is rate limited before the outage
        for (int i = 0; i < 5; i++) {
            Api.signIn(mallory, "wrong password " + i).then().statusCode(401);
        }
        Api.signIn(mallory, Api.PASSWORD).then().statusCode(429);
        long eventsBefore = signInEvents(alice, mallory);

        redis.kill();
        assertTrue(redis.refusesConnections(), "Redis is really down");

        for (int i = 0; i < 10; i++) {
            unavailable(Api.signIn(alice, Api.PASSWORD));
            unavailable(Api.signIn(mallory, "guess while Redis is down " + i));
        }
        assertEquals(
                eventsBefore,
                signInEvents(alice, mallory),
                "no password was checked while the attempts could not be counted");
        given().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Redis connection health check' }.status", equalTo("DOWN"));

        redis.start();
        long back = System.nanoTime();
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> Api.signIn(alice, Api.PASSWORD).statusCode() == 200);
        long recoveredMs = (System.nanoTime() - back) / 1_000_000;
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        System.out.println("sign-in recovered " + recoveredMs + " ms after Redis returned");

        // the counters were lost with Redis (it keeps nothing on disk): the target's limit starts over, and
        // counts again from the first attempt
        for (int i = 0; i < 5; i++) {
            Api.signIn(mallory, "wrong password after " + i).then().statusCode(401);
        }
        Api.signIn(mallory, Api.PASSWORD).then().statusCode(429);
    }

    private static long signInEvents(String... usernames) {
        return Api.count(
                "SELECT count(*) FROM audit_events WHERE type LIKE 'auth.signin.%' AND actor = ANY (?)",
                (Object) usernames);
    }

    private static void unavailable(Response r) {
        r.then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
        assertEquals("1", r.header("Retry-After"));
        assertTrue(r.header("Set-Cookie") == null, "no session while Redis is down");
        String body = r.asString();
        assertFalse(body.contains("Exception") || body.contains("\tat ") || body.contains("127.0.0.1"), body);
    }
}
