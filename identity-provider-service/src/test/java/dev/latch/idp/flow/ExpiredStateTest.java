package dev.latch.idp.flow;

import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ExpiredStateTest.ShortState.class)
class ExpiredStateTest {

    public static class ShortState implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.idp.state-ttl", "1S");
        }
    }

    @Test
    void expiredStateIs400() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.Started started = Flows.started(provider, "/app");
        Awaitility.await()
                .pollDelay(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> true);
        Flows.callback(provider, Map.of("error", "access_denied", "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
