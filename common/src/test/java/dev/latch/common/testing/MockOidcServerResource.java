package dev.latch.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * A real OpenID Connect provider (mock-oauth2-server, in-process): discovery, JWKS, authorization
 * and token endpoints with signed ID tokens. Its issuer {@code default} is exposed as
 * {@code latch.test.oidc.issuer}.
 */
public class MockOidcServerResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER_ID = "default";
    private static volatile MockOAuth2Server server;

    @Override
    public Map<String, String> start() {
        MockOAuth2Server s = new MockOAuth2Server();
        s.start();
        server = s;
        String issuer = s.issuerUrl(ISSUER_ID).toString();
        return Map.of(
                "latch.test.oidc.issuer",
                issuer,
                "latch.test.oidc.token-endpoint",
                s.tokenEndpointUrl(ISSUER_ID).toString());
    }

    /** The running server, for tests that enqueue callbacks or read its requests. */
    public static MockOAuth2Server server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }
}
