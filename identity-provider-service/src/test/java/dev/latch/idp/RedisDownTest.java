package dev.latch.idp;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RedisDownTest.DeadRedis.class)
class RedisDownTest {

    public static class DeadRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "quarkus.redis.timeout", "2S");
        }
    }

    @Test
    void startAnswers503WhenRedisIsDown() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.start(provider, "/app")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
    }
}
