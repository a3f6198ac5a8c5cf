package dev.latch.idp.flow;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.MockOidcServerResource;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;

/** The whole browser flow against a real OIDC provider (mock-oauth2-server), auth-service at its contract. */
@QuarkusTest
class OidcFlowTest {

    private final HttpClient browser =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void startProviderCallbackCookieAndRefresh() throws Exception {
        // trusted for emails: an oidc provider's verified email is a linking key only when an admin says so
        String provider = Flows.createOidcProvider(Map.of("trustEmail", true));
        Flows.Started started = Flows.started(provider, "/app?tab=1");
        assertTrue(
                started.location()
                        .startsWith(MockOidcServerResource.server()
                                .authorizationEndpointUrl(MockOidcServerResource.ISSUER_ID)
                                .toString()),
                started.location());
        assertEquals("S256", started.query().get("code_challenge_method"));
        assertNotNull(started.query().get("code_challenge"));
        assertEquals("openid profile email", started.query().get("scope"));
        assertEquals("latch-client", started.query().get("client_id"));
        assertTrue(started.query().get("redirect_uri").endsWith("/v1/auth/oauth/" + provider + "/callback"));
        assertEquals(43, started.state().length(), "32 random bytes, base64url");
        assertNotNull(started.bindingCookie());

        MockOidcServerResource.server()
                .enqueueCallback(new DefaultOAuth2TokenCallback(
                        MockOidcServerResource.ISSUER_ID,
                        "alice-sub",
                        "JWT",
                        List.of("latch-client"),
                        Map.of("email", "alice@example.com", "email_verified", true, "name", "Alice"),
                        3600));
        // the browser at the provider: it redirects back with a code
        HttpResponse<String> atProvider = browser.send(
                HttpRequest.newBuilder(URI.create(started.location())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, atProvider.statusCode());
        Map<String, String> back = Flows.query(
                URI.create(atProvider.headers().firstValue("Location").orElseThrow())
                        .getRawQuery());
        assertEquals(started.state(), back.get("state"));

        int before = AuthServerStub.federatedRequests().size();
        Response callback = Flows.callback(
                provider, Map.of("code", back.get("code"), "state", back.get("state")), started.bindingCookie());
        callback.then().statusCode(307);
        assertEquals("/app?tab=1", callback.getHeader("Location"));
        String refresh = callback.getCookie("latch_refresh");
        assertNotNull(refresh);
        String setCookie = callback.getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("latch_refresh="))
                .findFirst()
                .orElseThrow();
        for (String attribute : new String[] {"HttpOnly", "Secure", "SameSite=Lax", "Path=/v1/auth"}) {
            assertTrue(setCookie.toLowerCase().contains(attribute.toLowerCase()), setCookie);
        }

        Map<String, Object> asked = AuthServerStub.federatedRequests().get(before);
        assertEquals(provider, asked.get("provider"));
        assertEquals("alice-sub", asked.get("subject"));
        assertEquals("alice@example.com", asked.get("email"));
        assertEquals(true, asked.get("emailVerified"));
        assertEquals("Alice", asked.get("displayName"));

        // the refresh cookie yields an access token at auth-service
        given().cookie("latch_refresh", refresh)
                .post(AuthServerStub.issuer() + "/v1/auth/refresh")
                .then()
                .statusCode(200)
                .body("accessToken", org.hamcrest.Matchers.notNullValue());

        // the state was single-use
        Flows.callback(provider, Map.of("code", back.get("code"), "state", back.get("state")), started.bindingCookie())
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void singlePageAppExchangesItsOwnCode() throws Exception {
        String provider = Flows.createOidcProvider(Map.of());
        String verifier = dev.latch.common.security.SecureTokens.randomBase64Url(32);
        String challenge = dev.latch.common.security.SecureTokens.base64Url(
                dev.latch.common.security.SecureTokens.sha256(verifier));
        String redirectUri = "https://spa.example/callback";
        String authorize = MockOidcServerResource.server().authorizationEndpointUrl(MockOidcServerResource.ISSUER_ID)
                + "?response_type=code&client_id=latch-client&scope=openid&state=spa-state&redirect_uri="
                + java.net.URLEncoder.encode(redirectUri, java.nio.charset.StandardCharsets.UTF_8)
                + "&code_challenge=" + challenge + "&code_challenge_method=S256";
        HttpResponse<String> atProvider = browser.send(
                HttpRequest.newBuilder(URI.create(authorize)).build(), HttpResponse.BodyHandlers.ofString());
        String code = Flows.query(
                        URI.create(atProvider.headers().firstValue("Location").orElseThrow())
                                .getRawQuery())
                .get("code");

        Response session = given().contentType("application/json")
                .body(Map.of("code", code, "redirectUri", redirectUri, "codeVerifier", verifier))
                .post("/v1/auth/oauth/" + provider + "/token");
        session.then()
                .statusCode(200)
                .body("tokenType", org.hamcrest.Matchers.equalTo("Bearer"))
                .body("accessToken", org.hamcrest.Matchers.notNullValue());
        assertNotNull(session.getCookie("latch_refresh"));

        given().contentType("application/json")
                .body(Map.of("redirectUri", redirectUri))
                .post("/v1/auth/oauth/" + provider + "/token")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType("application/json")
                .body(Map.of("code", "x", "redirectUri", "javascript:alert(1)"))
                .post("/v1/auth/oauth/" + provider + "/token")
                .then()
                .statusCode(400);
    }

    @Test
    void providerErrorIsPassedBackToTheApp() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.Started started = Flows.started(provider, "/app?x=1#top");
        Response r = Flows.callback(
                provider, Map.of("error", "access_denied", "state", started.state()), started.bindingCookie());
        r.then().statusCode(307);
        assertEquals("/app?x=1&oauth_error=access_denied#top", r.getHeader("Location"));

        Flows.Started plain = Flows.started(provider, "/home");
        Flows.callback(provider, Map.of("error", "<script>", "state", plain.state()), plain.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/home?oauth_error=provider_error");
    }

    @Test
    void wrongIssParameterIsAMixUp() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.Started started = Flows.started(provider, "/app");
        Flows.callback(
                        provider,
                        Map.of("code", "abc", "state", started.state(), "iss", "https://evil.example"),
                        started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/app?oauth_error=invalid_iss");
    }
}
