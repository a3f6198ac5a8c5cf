package dev.latch.auth.oauth2.logout;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.latch.auth.Api;
import dev.latch.auth.oauth2.CodeFlow;
import dev.latch.common.testing.SecretLedger;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OIDC Back-Channel Logout: at an RP-initiated logout, every client that got tokens through the ended session and
 * registered a back-channel logout URI receives a logout_token, verifiable against the published JWKS, naming the
 * session; a client that never answers does not delay the logout.
 */
@QuarkusTest
class BackchannelLogoutTest {

    private static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static final Map<String, List<String>> received = new ConcurrentHashMap<>();
    private static final CountDownLatch releaseSlow = new CountDownLatch(1);

    @BeforeAll
    static void startClients() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/", BackchannelLogoutTest::handle);
        server.start();
    }

    @AfterAll
    static void stopClients() {
        releaseSlow.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if ("POST".equals(exchange.getRequestMethod())
                && "application/x-www-form-urlencoded".equals(contentType)
                && body.startsWith("logout_token=")) {
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                    .add(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.US_ASCII));
        }
        if (path.endsWith("/slow")) {
            try {
                releaseSlow.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private static String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A first-party confidential client stored through the admin API, with a back-channel logout URI. */
    private record Registered(String id, String secret, String redirectUri) {}

    private static Registered register(String admin, String name, String backchannelPath) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", "confidential");
        body.put("redirectUris", List.of(base() + "/" + name + "/callback"));
        body.put("postLogoutRedirectUris", List.of(base() + "/" + name + "/bye"));
        body.put("grantTypes", List.of("authorization_code", "refresh_token"));
        body.put("scopes", List.of("openid", "profile", "offline_access"));
        body.put("firstParty", true);
        body.put("backchannelLogoutUri", base() + backchannelPath);
        JsonPath created = given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/oauth-clients")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        SecretLedger.record("client secret", created.getString("clientSecret"));
        return new Registered(
                created.getString("clientId"), created.getString("clientSecret"), base() + "/" + name + "/callback");
    }

    @Test
    void everyClientOfTheEndedSessionGetsAVerifiableLogoutToken() throws Exception {
        String admin = Api.newAdminToken();
        String tag = Api.uniqueName("bcl");
        // a keeps a refresh token (known by its family); b only got an ID token (known by its code)
        Registered a = register(admin, tag + "-a", "/" + tag + "/a");
        Registered b = register(admin, tag + "-b", "/" + tag + "/b");
        Registered slow = register(admin, tag + "-slow", "/" + tag + "/slow");
        String username = CodeFlow.newUser(null, null);
        String userId = (String) Api.single("SELECT id::text FROM users WHERE username = ?", username);

        CodeFlow browser = new CodeFlow();
        CodeFlow.Request toA = CodeFlow.Request.of(a.id(), a.redirectUri(), "openid offline_access");
        JsonPath tokensA = browser.tokens(toA, username, a.secret());
        CodeFlow.Request toB = CodeFlow.Request.of(b.id(), b.redirectUri(), "openid");
        CodeFlow.exchange(toB, browser.code(toB, username), b.secret());
        CodeFlow.Request toSlow = CodeFlow.Request.of(slow.id(), slow.redirectUri(), "openid");
        CodeFlow.exchange(toSlow, browser.code(toSlow, username), slow.secret());
        // latch-dev-web through the same session has no back-channel URI: nothing is sent for it
        CodeFlow.Request toWeb = CodeFlow.Request.of(CodeFlow.WEB, CodeFlow.WEB_REDIRECT, "openid");
        CodeFlow.exchange(toWeb, browser.code(toWeb, username), CodeFlow.WEB_SECRET);
        String idToken = tokensA.getString("id_token");
        String sid = SignedJWT.parse(idToken).getJWTClaimsSet().getStringClaim("sid");

        long started = System.nanoTime();
        browser.browser()
                .queryParam("id_token_hint", idToken)
                .queryParam("post_logout_redirect_uri", base() + "/" + tag + "-a/bye")
                .queryParam("state", "x")
                .get("/oauth2/logout")
                .then()
                .statusCode(302)
                .header("Location", equalTo(base() + "/" + tag + "-a/bye?state=x"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(
                took.compareTo(BackchannelLogout.TIMEOUT) < 0,
                "the logout did not wait for the client that never answers (" + took + ")");

        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> received.containsKey("/" + tag + "/a")
                        && received.containsKey("/" + tag + "/b")
                        && received.containsKey("/" + tag + "/slow"));
        releaseSlow.countDown();

        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        String issuer = ConfigProvider.getConfig().getValue("latch.auth.token.issuer", String.class);
        for (Registered client : List.of(a, b)) {
            List<String> tokens = received.get(client == a ? "/" + tag + "/a" : "/" + tag + "/b");
            assertEquals(1, tokens.size(), "one logout token for " + client.id());
            JWTClaimsSet claims = verify(tokens.get(0), jwks, issuer, client.id(), userId, sid);
            assertEquals(List.of(client.id()), claims.getAudience());
            assertEquals(Map.of(EVENT, Map.of()), claims.getJSONObjectClaim("events"));
            assertNull(claims.getClaim("nonce"), "a logout token has no nonce");
            assertTrue(claims.getJWTID() != null && !claims.getJWTID().isBlank());
            long lifetime = (claims.getExpirationTime().getTime()
                            - claims.getIssueTime().getTime())
                    / 1000;
            assertEquals(120, lifetime, "a logout token lives two minutes");
        }
    }

    /** Signature against the JWKS, typ logout+jwt, iss, aud, sub, sid, and the required claims present. */
    private static JWTClaimsSet verify(
            String token, JWKSet jwks, String issuer, String audience, String subject, String sid) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                audience,
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .subject(subject)
                        .claim("sid", sid)
                        .build(),
                Set.of("iat", "exp", "jti", "events")));
        return processor.process(token, null);
    }
}
