package dev.latch.idp;

import dev.latch.common.testing.ResponseHeaders;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries nosniff, Referrer-Policy and a Cache-Control; the login redirects, which carry a
 * state, a binding cookie or a session, are no-store; HSTS only when the request came over TLS.
 */
@QuarkusTest
class SecurityHeadersTest {

    @Test
    void everyKindOfAnswerCarriesTheSecurityHeadersOnce() {
        ResponseHeaders.assertSecurityHeadersEverywhere("/", "/v1/identity-providers", "/landing/config.json");
    }

    @Test
    void everyLoginStepIsNoStore() {
        String provider = Flows.createOidcProvider(Map.of());
        ResponseHeaders.assertNoStore(Flows.start(provider, "/app"), "/start");
        ResponseHeaders.assertNoStore(
                Flows.loginAtMock(provider, "headers-sub", Map.of("name", "Headers")),
                "the callback that sets the session cookie");
        Flows.Started started = Flows.started(provider, "/app");
        ResponseHeaders.assertNoStore(
                Flows.callback(
                        provider, Map.of("error", "access_denied", "state", started.state()), started.bindingCookie()),
                "a refused login");
        ResponseHeaders.assertNoStore(
                Flows.callback(provider, Map.of("code", "x", "state", "no-such-state"), null),
                "a callback with a bad state");
    }

    @Test
    void hstsOnlyWhenTheRequestCameOverTls() {
        ResponseHeaders.assertHstsOnlyOverTls("/q/health/live");
        ResponseHeaders.assertHstsOnlyOverTls("/v1/identity-providers");
    }

    @Test
    void noOriginMayCallTheApiFromABrowserByDefault() {
        ResponseHeaders.assertNoCorsFor("https://app.example.com", "/v1/identity-providers");
        ResponseHeaders.assertNoCorsFor("http://localhost:8082", "/v1/identity-providers");
    }
}
