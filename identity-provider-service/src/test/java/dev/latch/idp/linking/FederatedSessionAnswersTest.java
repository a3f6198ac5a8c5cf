package dev.latch.idp.linking;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.latch.common.security.SecureTokens;
import dev.latch.idp.Flows;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the broker does with each answer of auth-service's federated-session endpoint (emulated here; the token
 * still comes from the auth-service stub): a 401 is {@code session_failed} and the next login asks for a new
 * client token, 502/503/504 are {@code temporarily_unavailable}, any other answer but 200 is
 * {@code session_failed}; and what it sends besides the body.
 */
@QuarkusTest
@WithTestResource(
        value = FederatedSessionAnswersTest.FederatedSessions.class,
        scope = TestResourceScope.RESTRICTED_TO_CLASS)
class FederatedSessionAnswersTest {

    private static final String PATH = "/internal/v1/federated-sessions";
    private static final String SPA_REDIRECT = "https://spa.example/callback";

    /** auth-service's federated-session endpoint alone, at a port of its own. */
    public static class FederatedSessions implements QuarkusTestResourceLifecycleManager {
        static WireMockServer server;

        @Override
        public Map<String, String> start() {
            server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
            server.start();
            return Map.of("quarkus.rest-client.auth-service.url", server.baseUrl());
        }

        @Override
        public void stop() {
            server.stop();
        }
    }

    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void reset() {
        FederatedSessions.server.resetAll();
    }

    @Test
    void aRefusedClientTokenIsSessionFailedAndTheNextLoginGetsANewOne() {
        String provider = Flows.createOidcProvider(Map.of());
        answer(200);
        login(provider).then().statusCode(307).header("Location", "/app");
        login(provider).then().statusCode(307).header("Location", "/app");
        answer(401);
        Response refused = login(provider);
        refused.then().statusCode(307).header("Location", "/app?oauth_error=session_failed");
        assertNull(refused.getCookie("latch_refresh"));
        answer(200);
        login(provider).then().statusCode(307).header("Location", "/app");

        List<String> bearers =
                requests().stream().map(r -> r.getHeader("Authorization")).toList();
        assertEquals(4, bearers.size());
        assertTrue(bearers.get(0).startsWith("Bearer "), "a bearer token");
        // compared, not printed: a failure message names no token
        assertTrue(bearers.get(0).equals(bearers.get(1)), "a valid token is reused");
        assertTrue(bearers.get(1).equals(bearers.get(2)), "a valid token is reused");
        assertFalse(bearers.get(2).equals(bearers.get(3)), "after the 401 a new token");
    }

    @ParameterizedTest
    @CsvSource({
        "502, temporarily_unavailable, 502",
        "503, temporarily_unavailable, 502",
        "504, temporarily_unavailable, 502",
        "500, session_failed, 502",
        "400, session_failed, 502",
        "404, session_failed, 502",
        "201, session_failed, 502",
        "302, session_failed, 502"
    })
    void eachAnswerOfAuthServiceLandsOnItsError(int status, String error, int spaStatus) {
        String provider = Flows.createOidcProvider(Map.of());
        answer(status);
        Response callback = login(provider);
        callback.then().statusCode(307).header("Location", "/app?oauth_error=" + error);
        assertNull(callback.getCookie("latch_refresh"));

        String verifier = SecureTokens.randomBase64Url(32);
        String code = Flows.spaCodeAtMock(SPA_REDIRECT, verifier, "spa-" + UUID.randomUUID(), Map.of());
        given().contentType(ContentType.JSON)
                .body(Map.of("code", code, "redirectUri", SPA_REDIRECT, "codeVerifier", verifier))
                .post("/v1/auth/oauth/" + provider + "/token")
                .then()
                .statusCode(spaStatus)
                .contentType("application/problem+json")
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aSuccessThatIsNoSessionIsTemporarilyUnavailable() {
        String provider = Flows.createOidcProvider(Map.of());
        FederatedSessions.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"userId\": <html>")));
        login(provider).then().statusCode(307).header("Location", "/app?oauth_error=temporarily_unavailable");
    }

    @Test
    void aRefusedAccountOfAnotherProblemTypeIsAccountDisabled() {
        String provider = Flows.createOidcProvider(Map.of());
        FederatedSessions.server.stubFor(post(urlEqualTo(PATH))
                .willReturn(aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"type\":\"urn:latch:problem:something-else\",\"status\":403}")));
        login(provider).then().statusCode(307).header("Location", "/app?oauth_error=account_disabled");
    }

    @Test
    void theClientAddressAndAShortenedUserAgentGoAlong() throws Exception {
        String provider = Flows.createOidcProvider(Map.of("allowSignup", true));
        answer(200);
        String userAgent = "Browser/1.0 " + "x".repeat(600);
        Flows.Started started = Flows.started(provider, "/app");
        String subject = "headers-" + UUID.randomUUID();
        String code = Flows.codeAtMock(started.location(), subject, Map.of());
        given().redirects()
                .follow(false)
                .cookie("latch_oauth", started.bindingCookie())
                .header("User-Agent", userAgent)
                .queryParam("code", code)
                .queryParam("state", started.state())
                .get("/v1/auth/oauth/" + provider + "/callback")
                .then()
                .statusCode(307)
                .header("Location", "/app");

        LoggedRequest sent = requests().get(0);
        assertEquals("127.0.0.1", sent.getHeader("X-Latch-Client-IP"));
        assertEquals(userAgent.substring(0, 512), sent.getHeader("X-Latch-Client-User-Agent"));
        assertTrue(sent.getHeader("Content-Type").startsWith("application/json"), sent.getHeader("Content-Type"));
        assertTrue(sent.getHeader("Accept").contains("application/json"), sent.getHeader("Accept"));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = json.readValue(sent.getBodyAsString(), Map.class);
        assertEquals(
                List.of(
                        "provider",
                        "subject",
                        "email",
                        "emailVerified",
                        "displayName",
                        "avatarUrl",
                        "issuer",
                        "allowSignup"),
                List.copyOf(body.keySet()));
        assertEquals(provider, body.get("provider"));
        assertEquals(subject, body.get("subject"));
        assertEquals(true, body.get("allowSignup"));
    }

    private static Response login(String provider) {
        return Flows.loginAtMock(provider, "answers-" + UUID.randomUUID(), Map.of());
    }

    /** The endpoint answers {@code status}: a session for 200, a problem document otherwise. */
    private static void answer(int status) {
        FederatedSessions.server.resetMappings();
        var response = aResponse().withStatus(status);
        if (status == 200 || status == 201) {
            response.withHeader("Content-Type", "application/json")
                    .withBody("{\"userId\":\"" + UUID.randomUUID() + "\",\"existingUser\":false,"
                            + "\"accessToken\":\"at\",\"expiresIn\":900,\"refreshToken\":\""
                            + SecureTokens.randomBase64Url(32) + "\"}");
        } else if (status == 302) {
            response.withHeader("Location", "http://127.0.0.1:1/elsewhere");
        } else {
            response.withHeader("Content-Type", "application/problem+json")
                    .withBody("{\"type\":\"about:blank\",\"status\":" + status + "}");
        }
        FederatedSessions.server.stubFor(post(urlEqualTo(PATH)).willReturn(response));
    }

    private static List<LoggedRequest> requests() {
        return FederatedSessions.server.findAll(postRequestedFor(urlEqualTo(PATH)));
    }
}
