package dev.latch.idp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.MockOidcServerResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ID tokens are verified: signature (provider JWKS), iss, aud = client id, exp and nonce. The token
 * endpoint here answers with ID tokens minted by the real OIDC server's keys, altered per case.
 */
@QuarkusTest
class IdTokenChecksTest {

    private static HttpServer tokenEndpoint;
    private static final AtomicReference<String> nextIdToken = new AtomicReference<>();
    private static final AtomicReference<String> nextAccessToken = new AtomicReference<>("opaque");

    @BeforeAll
    static void startTokenEndpoint() throws Exception {
        tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenEndpoint.createContext("/token", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] body = ("{\"access_token\":\"" + nextAccessToken.get() + "\",\"token_type\":\"Bearer\",\"id_token\":\""
                    + nextIdToken.get() + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        tokenEndpoint.start();
    }

    @AfterAll
    static void stopTokenEndpoint() {
        tokenEndpoint.stop(0);
    }

    private static String provider() {
        return Flows.createOidcProvider(Map.of("tokenUrl", "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token"));
    }

    private static String mint(String audience, Map<String, Object> claims, long expirySeconds) {
        return MockOidcServerResource.server().issueToken(MockOidcServerResource.ISSUER_ID, "bob-sub", audience, claims,
                expirySeconds).serialize();
    }

    private static void expectRefused(String provider, Flows.Started started) {
        int before = AuthServerStub.federatedRequests().size();
        Flows.callback(provider, Map.of("code", "c", "state", started.state()), started.bindingCookie())
                .then().statusCode(307).header("Location", "/app?oauth_error=invalid_id_token");
        assertEquals(before, AuthServerStub.federatedRequests().size(), "no session for a refused ID token");
    }

    @Test
    void aValidIdTokenLogsIn() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(mint("latch-client", Map.of("nonce", started.nonce(), "email", "bob@example.com"), 3600));
        nextAccessToken.set(mint("latch-client", Map.of(), 3600));
        Flows.callback(provider, Map.of("code", "c", "state", started.state()), started.bindingCookie())
                .then().statusCode(307).header("Location", "/app");
    }

    @Test
    void wrongAudienceIsRefused() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(mint("another-client", Map.of("nonce", started.nonce()), 3600));
        expectRefused(provider, started);
    }

    @Test
    void wrongNonceIsRefused() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(mint("latch-client", Map.of("nonce", "not-the-nonce"), 3600));
        expectRefused(provider, started);
    }

    @Test
    void expiredIdTokenIsRefused() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(mint("latch-client", Map.of("nonce", started.nonce()), -600));
        expectRefused(provider, started);
    }

    @Test
    void badSignatureIsRefused() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        String[] parts = mint("latch-client", Map.of("nonce", started.nonce()), 3600).split("\\.");
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        sig[10] ^= 0x40;
        nextIdToken.set(parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
        expectRefused(provider, started);
    }

    @Test
    void unsignedIdTokenIsRefused() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        String[] parts = mint("latch-client", Map.of("nonce", started.nonce()), 3600).split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        nextIdToken.set(none + "." + parts[1] + ".");
        expectRefused(provider, started);
    }
}
