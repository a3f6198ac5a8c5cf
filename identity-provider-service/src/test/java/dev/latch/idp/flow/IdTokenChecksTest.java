package dev.latch.idp.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.MockOidcServerResource;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
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
    /** A multi-tenant provider in the manner of Microsoft's /common endpoint: issuer {@code …/{tenantid}/v2.0}. */
    private static RsaJsonWebKey tenantKey;

    @BeforeAll
    static void startTokenEndpoint() throws Exception {
        tenantKey = RsaJwkGenerator.generateJwk(2048);
        tenantKey.setKeyId("tenant-key");
        tenantKey.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenEndpoint.createContext("/common/v2.0/.well-known/openid-configuration", ex -> {
            String base = base();
            send(
                    ex,
                    "{\"issuer\":\"" + base + "/{tenantid}/v2.0\",\"authorization_endpoint\":\"" + base
                            + "/common/oauth2/v2.0/authorize\",\"token_endpoint\":\"" + base
                            + "/token\",\"jwks_uri\":\""
                            + base + "/common/discovery/v2.0/keys\"}");
        });
        tokenEndpoint.createContext(
                "/common/discovery/v2.0/keys",
                ex -> send(ex, new JsonWebKeySet(tenantKey).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
        tokenEndpoint.createContext("/token", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] body = ("{\"access_token\":\"" + nextAccessToken.get()
                            + "\",\"token_type\":\"Bearer\",\"id_token\":\"" + nextIdToken.get() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        tokenEndpoint.start();
    }

    private static String base() {
        return "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort();
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, String json) throws java.io.IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private static String tenantToken(String tenant, String audience, String nonce) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(base() + "/" + tenant + "/v2.0");
        claims.setAudience(audience);
        claims.setSubject("tenant-user");
        claims.setStringClaim("tid", tenant);
        claims.setStringClaim("nonce", nonce);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(tenantKey.getPrivateKey());
        jws.setKeyIdHeaderValue(tenantKey.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    private static String multiTenantProvider() {
        return Flows.createOidcProvider(Map.of("kind", "microsoft", "issuer", base() + "/common/v2.0"));
    }

    @AfterAll
    static void stopTokenEndpoint() {
        tokenEndpoint.stop(0);
    }

    private static String provider() {
        return Flows.createOidcProvider(Map.of(
                "tokenUrl", "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token"));
    }

    private static String mint(String audience, Map<String, Object> claims, long expirySeconds) {
        return MockOidcServerResource.server()
                .issueToken(MockOidcServerResource.ISSUER_ID, "bob-sub", audience, claims, expirySeconds)
                .serialize();
    }

    private static void expectRefused(String provider, Flows.Started started) {
        int before = AuthServerStub.federatedRequests().size();
        Flows.callback(provider, Map.of("code", "c", "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/app?oauth_error=invalid_id_token");
        assertEquals(before, AuthServerStub.federatedRequests().size(), "no session for a refused ID token");
    }

    @Test
    void aValidIdTokenLogsIn() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(mint("latch-client", Map.of("nonce", started.nonce(), "email", "bob@example.com"), 3600));
        nextAccessToken.set(mint("latch-client", Map.of(), 3600));
        Flows.callback(provider, Map.of("code", "c", "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/app");
    }

    @Test
    void wrongAudienceIsRefused() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(mint("another-client", Map.of("nonce", started.nonce()), 3600));
        expectRefused(provider, started);
    }

    @Test
    void multiTenantIssuerStillChecksTheAudience() throws Exception {
        String provider = multiTenantProvider();
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(tenantToken("7f3e9c1a-tenant", "another-client", started.nonce()));
        expectRefused(provider, started);
    }

    @Test
    void multiTenantIssuerWithTheTokensTenantAndThisAudienceLogsIn() throws Exception {
        String provider = multiTenantProvider();
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(tenantToken("7f3e9c1a-tenant", "latch-client", started.nonce()));
        Flows.callback(provider, Map.of("code", "c", "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/app");
    }

    @Test
    void emptySubjectIsRefused() {
        // mapped by another claim, so only the ID-token check stands between an empty sub and a session
        String provider = Flows.createOidcProvider(
                Map.of("tokenUrl", base() + "/token", "fieldMapping", Map.of("identifier", "email")));
        Flows.Started started = Flows.started(provider, "/app");
        nextIdToken.set(MockOidcServerResource.server()
                .issueToken(
                        MockOidcServerResource.ISSUER_ID,
                        "",
                        "latch-client",
                        Map.of("nonce", started.nonce(), "email", "nobody@example.com"),
                        3600)
                .serialize());
        nextAccessToken.set(MockOidcServerResource.server()
                .issueToken(MockOidcServerResource.ISSUER_ID, "", "latch-client", Map.of(), 3600)
                .serialize());
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
        String[] parts =
                mint("latch-client", Map.of("nonce", started.nonce()), 3600).split("\\.");
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        sig[10] ^= 0x40;
        nextIdToken.set(parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(sig));
        expectRefused(provider, started);
    }

    @Test
    void unsignedIdTokenIsRefused() {
        String provider = provider();
        Flows.Started started = Flows.started(provider, "/app");
        String[] parts =
                mint("latch-client", Map.of("nonce", started.nonce()), 3600).split("\\.");
        String none = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        nextIdToken.set(none + "." + parts[1] + ".");
        expectRefused(provider, started);
    }
}
