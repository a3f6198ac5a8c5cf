package dev.latch.idp.flow;

import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code latch.idp.redirect-origins}, a login may land on auth-service's other origin, and only there. */
@QuarkusTest
@TestProfile(RedirectOriginsTest.AuthOrigin.class)
class RedirectOriginsTest {

    static final String CONTINUE = "http://localhost:8081/v1/auth/federated/continue?request=abc";

    public static class AuthOrigin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.idp.redirect-origins", "http://localhost:8081");
        }
    }

    @Test
    void aLoginLandsOnAConfiguredOriginWithItsError() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.Started started = Flows.started(provider, CONTINUE);
        Flows.callback(provider, Map.of("error", "access_denied", "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", CONTINUE + "&oauth_error=access_denied");
    }

    @Test
    void otherAbsoluteTargetsAreStillRefused() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.start(provider, "http://localhost:8082/v1/auth/federated/continue")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        Flows.start(provider, "http://localhost:8081//evil.example/").then().statusCode(400);
        Flows.start(provider, "/app").then().statusCode(307);
    }
}
