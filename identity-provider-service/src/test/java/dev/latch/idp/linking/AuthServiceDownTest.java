package dev.latch.idp.linking;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.SilentServer;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * auth-service stopped (its server shut down: connections refused) or up but not answering (a listener that never
 * replies) while a browser comes back from the provider: the callback answers 307 to
 * {@code redirect_to?oauth_error=temporarily_unavailable} within the configured timeout (3 s here, 5 s by default),
 * whether the broker still needs its client-credentials token or already holds one and asks for the session.
 */
@QuarkusTest
@TestProfile(AuthServiceDownTest.ShortTimeout.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthServiceDownTest {

    /** Its own application, so no client-credentials token is cached before the first test. */
    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.auth-service.read-timeout", "3000");
        }
    }

    /** The timeout plus the provider round trip and scheduling slack. */
    private static final long BOUND_MS = 6000;

    private static final String UNAVAILABLE = "/app?oauth_error=temporarily_unavailable";

    @Test
    @Order(1)
    void withoutAClientTokenYetTheLoginLandsOnTemporarilyUnavailable() throws Exception {
        String provider = Flows.createOidcProvider(Map.of());
        int port = AuthServerStub.pause();
        try {
            landsOnTemporarilyUnavailable(() -> Flows.loginAtMock(provider, "down-" + UUID.randomUUID(), Map.of()));
            try (SilentServer silent = SilentServer.on(port)) {
                landsOnTemporarilyUnavailable(
                        () -> Flows.loginAtMock(provider, "silent-" + UUID.randomUUID(), Map.of()));
                assertTrue(silent.connections() > 0, "the token request went to the silent auth-service");
            }
        } finally {
            AuthServerStub.resume();
        }
        // back: the next login works
        Flows.federatedLoginAtMock(provider, "back-" + UUID.randomUUID(), Map.of());
    }

    @Test
    @Order(2)
    void withAClientTokenTheSessionRequestLandsOnTemporarilyUnavailable() throws Exception {
        String provider = Flows.createOidcProvider(Map.of());
        // the broker now holds a client-credentials token: only the session request meets the outage
        Flows.federatedLoginAtMock(provider, "before-" + UUID.randomUUID(), Map.of());
        int port = AuthServerStub.pause();
        try {
            landsOnTemporarilyUnavailable(() -> Flows.loginAtMock(provider, "down-" + UUID.randomUUID(), Map.of()));
            try (SilentServer silent = SilentServer.on(port)) {
                landsOnTemporarilyUnavailable(
                        () -> Flows.loginAtMock(provider, "silent-" + UUID.randomUUID(), Map.of()));
                assertTrue(silent.connections() > 0, "the session request went to the silent auth-service");
            }
        } finally {
            AuthServerStub.resume();
        }
        Flows.federatedLoginAtMock(provider, "back-" + UUID.randomUUID(), Map.of());
    }

    private static void landsOnTemporarilyUnavailable(Supplier<Response> login) {
        long start = System.nanoTime();
        Response callback = login.get();
        long ms = (System.nanoTime() - start) / 1_000_000;
        callback.then().statusCode(307).header("Location", UNAVAILABLE).header("Cache-Control", "no-store");
        assertNull(callback.getCookie("latch_refresh"), "no session");
        assertTrue(ms < BOUND_MS, "the callback answered after " + ms + " ms");
    }
}
