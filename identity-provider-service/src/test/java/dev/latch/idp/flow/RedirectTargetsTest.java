package dev.latch.idp.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.security.OpenRedirectCorpus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RedirectTargetsTest {

    private static final String AUTH = "http://localhost:8081";
    private final RedirectTargets none = new RedirectTargets(List.of());
    private final RedirectTargets withAuth = new RedirectTargets(List.of(AUTH + "/", " https://login.example.com "));

    static List<String> payloads() {
        return OpenRedirectCorpus.PAYLOADS;
    }

    @Test
    void withoutConfiguredOriginsOnlyLocalPathsAreAccepted() {
        assertEquals(Optional.empty(), none.reason("/app?x=1"));
        assertTrue(none.reason(AUTH + "/v1/auth/federated/continue?request=abc").isPresent());
    }

    @Test
    void aConfiguredOriginFollowedByASafePathIsAccepted() {
        assertEquals(Optional.empty(), withAuth.reason(AUTH + "/v1/auth/federated/continue?request=abc"));
        assertEquals(Optional.empty(), withAuth.reason("HTTP://LOCALHOST:8081/v1/auth/federated/continue"));
        assertEquals(Optional.empty(), withAuth.reason("https://login.example.com/x"));
        assertEquals(Optional.empty(), withAuth.reason("/app"));
    }

    @Test
    void otherOriginsAndLookAlikesAreRefused() {
        for (String target : List.of(
                "http://localhost:8082/x",
                "https://localhost:8081/x",
                "http://localhost/x",
                "http://localhost:80810/x",
                "http://localhost:8081@evil.example/x",
                "http://localhost:8081.evil.example/x",
                "http://evil.example/?http://localhost:8081/",
                "http://localhost:8081",
                "http://localhost:8081?x",
                "http://localhost:8081\\@evil.example/",
                "http://localhost:8081//evil.example/",
                "http://localhost:8081/%2F%2Fevil.example",
                "http://localhost:8081/x\ny",
                "http://login.example.com/x")) {
            assertTrue(withAuth.reason(target).isPresent(), () -> "accepted: " + target);
        }
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void openRedirectPayloadsStayRefusedAloneAndAfterAConfiguredOrigin(String payload) {
        assertTrue(withAuth.reason(payload).isPresent(), () -> "accepted: " + payload);
        assertTrue(withAuth.reason(AUTH + payload).isPresent(), () -> "accepted: " + AUTH + payload);
    }

    @Test
    void aConfiguredValueThatIsNotAnOriginStopsTheStart() {
        for (String bad : List.of("localhost:8081", "http://localhost:8081/path", "http://user@localhost", "ftp://x")) {
            assertThrows(IllegalArgumentException.class, () -> new RedirectTargets(List.of(bad)), bad);
        }
        assertFalse(new RedirectTargets(List.of("")).reason("/x").isPresent());
    }
}
