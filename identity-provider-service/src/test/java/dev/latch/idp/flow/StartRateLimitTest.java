package dev.latch.idp.flow;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.RedisProbe;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** {@code /start} stores a state per call without authentication, so each client address may start only so many. */
@QuarkusTest
@TestProfile(StartRateLimitTest.ThreePerMinute.class)
class StartRateLimitTest {

    public static class ThreePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.idp.start-rate-limit.max-starts", "3", "latch.idp.start-rate-limit.window", "1M");
        }
    }

    /** A client behind the trusted proxy (the test runs on 127.0.0.1), fresh per run so runs do not share a window. */
    private static String randomClient() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "198.18." + r.nextInt(256) + "." + r.nextInt(1, 255);
    }

    private static Response start(String provider, String client) {
        return given().redirects()
                .follow(false)
                .header("X-Forwarded-For", client)
                .queryParam("redirect_to", "/app")
                .get("/v1/auth/oauth/" + provider + "/start");
    }

    @Test
    void startsOverTheLimitPerClientAre429WithRetryAfter() {
        String provider = Flows.createOidcProvider(Map.of());
        String client = randomClient();
        for (int i = 0; i < 3; i++) {
            start(provider, client).then().statusCode(307);
        }
        Response refused = start(provider, client);
        refused.then().statusCode(429).contentType("application/problem+json");
        int retryAfter = Integer.parseInt(refused.getHeader("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        // the counter expires with its window
        long ttl = RedisProbe.ttl("latch:oauth:start-rate:" + client);
        assertTrue(ttl > 0 && ttl <= 60, "ttl " + ttl);
        // another client is counted on its own
        start(provider, randomClient()).then().statusCode(307);
    }

    @Test
    void ipv6ClientsAreCountedPerSlash64() {
        String provider = Flows.createOidcProvider(Map.of());
        String prefix = String.format(
                "2001:db8:%x:%x",
                ThreadLocalRandom.current().nextInt(0x10000),
                ThreadLocalRandom.current().nextInt(0x10000));
        for (int i = 1; i <= 3; i++) {
            start(provider, "[" + prefix + ":" + i + "::" + i + "]").then().statusCode(307);
        }
        // written without brackets, as many proxies do
        start(provider, prefix + ":ffff::99").then().statusCode(429);
        start(provider, "[2001:db8:ffff:ffff::1]").then().statusCode(307);
    }
}
