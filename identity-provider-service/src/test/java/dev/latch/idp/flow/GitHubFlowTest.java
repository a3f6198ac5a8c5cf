package dev.latch.idp.flow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.latch.common.testing.AuthServerStub;
import dev.latch.idp.Flows;
import dev.latch.idp.GitHubWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GitHub emulated with WireMock at its real paths: /login/oauth/access_token, /user, /user/emails. */
@QuarkusTest
class GitHubFlowTest {

    private static WireMockServer github() {
        return GitHubWireMock.server();
    }

    private static String provider() {
        String base = GitHubWireMock.baseUrl();
        Map<String, Object> body = new HashMap<>();
        body.put("id", Flows.uniqueId("github"));
        body.put("kind", "github");
        body.put("clientId", "gh-client");
        body.put("clientSecret", "gh-secret");
        body.put("authorizationUrl", base + "/login/oauth/authorize");
        body.put("tokenUrl", base + "/login/oauth/access_token");
        body.put("userInfoUrl", base + "/user");
        return given().auth()
                .oauth2(Flows.adminToken())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(201)
                .body("scopes", org.hamcrest.Matchers.contains("read:user", "user:email"))
                .body("fieldMapping.identifier", org.hamcrest.Matchers.equalTo("id"))
                .extract()
                .path("id");
    }

    private static void stubUser(String code, String token, String user, String emails) {
        github().stubFor(post(urlEqualTo("/login/oauth/access_token"))
                .atPriority(1)
                .withRequestBody(containing("code=" + code))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + token
                                + "\",\"token_type\":\"bearer\",\"scope\":\"read:user,user:email\"}")));
        github().stubFor(get(urlEqualTo("/user"))
                .atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(user)));
        github().stubFor(get(urlEqualTo("/user/emails"))
                .atPriority(1)
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(emails)));
    }

    private static Map<String, Object> login(String provider, String code) {
        Flows.Started started = Flows.started(provider, "/dashboard");
        assertTrue(started.location().startsWith(GitHubWireMock.baseUrl() + "/login/oauth/authorize?"));
        assertEquals("read:user user:email", started.query().get("scope"));
        int before = AuthServerStub.federatedRequests().size();
        Flows.callback(provider, Map.of("code", code, "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/dashboard");
        return AuthServerStub.federatedRequests().get(before);
    }

    @Test
    void publicEmailThatGitHubListsAsVerified() {
        String provider = provider();
        stubUser(
                "pub",
                "gho_pub",
                "{\"id\":1001,\"login\":\"octo\",\"name\":\"Octo Cat\",\"email\":\"octo@example.com\","
                        + "\"avatar_url\":\"https://avatars.example/u/1001\"}",
                "[{\"email\":\"octo@example.com\",\"primary\":true,\"verified\":true}]");
        Map<String, Object> asked = login(provider, "pub");
        assertEquals("1001", asked.get("subject"));
        assertEquals("octo@example.com", asked.get("email"));
        assertEquals(true, asked.get("emailVerified"));
        assertEquals("Octo Cat", asked.get("displayName"));
        assertEquals("https://avatars.example/u/1001", asked.get("avatarUrl"));
        github().verify(postRequestedFor(urlEqualTo("/login/oauth/access_token"))
                .withRequestBody(containing("code_verifier="))
                .withRequestBody(containing("client_id=gh-client")));
    }

    @Test
    void nullEmailTakesThePrimaryVerifiedAddress() {
        String provider = provider();
        stubUser(
                "priv",
                "gho_priv",
                "{\"id\":1002,\"login\":\"hidden\",\"name\":null,\"email\":null}",
                "[{\"email\":\"old@example.com\",\"primary\":false,\"verified\":true},"
                        + "{\"email\":\"main@example.com\",\"primary\":true,\"verified\":true}]");
        Map<String, Object> asked = login(provider, "priv");
        assertEquals("main@example.com", asked.get("email"));
        assertEquals(true, asked.get("emailVerified"));
        assertEquals("hidden", asked.get("displayName"), "login when the name is null");
    }

    @Test
    void verifiedButNotPrimaryEmailIsNotALinkingKey() {
        String provider = provider();
        stubUser(
                "sec",
                "gho_sec",
                "{\"id\":1004,\"login\":\"mover\",\"email\":\"old-job@example.com\"}",
                "[{\"email\":\"old-job@example.com\",\"primary\":false,\"verified\":true},"
                        + "{\"email\":\"me@example.org\",\"primary\":true,\"verified\":true}]");
        Map<String, Object> asked = login(provider, "sec");
        assertEquals("old-job@example.com", asked.get("email"), "the profile's address, as GitHub shows it");
        assertEquals(false, asked.get("emailVerified"));
    }

    @Test
    void onlyUnverifiedEmailsNeverLink() {
        String provider = provider();
        stubUser(
                "unv",
                "gho_unv",
                "{\"id\":1003,\"login\":\"newbie\",\"email\":null}",
                "[{\"email\":\"newbie@example.com\",\"primary\":true,\"verified\":false}]");
        Map<String, Object> asked = login(provider, "unv");
        assertNull(asked.get("email"));
        assertEquals(false, asked.get("emailVerified"));
    }

    @Test
    void tokenExchangeFailureLandsOnTheAppWithAnErrorCode() {
        String provider = provider();
        github().stubFor(post(urlEqualTo("/login/oauth/access_token"))
                .atPriority(1)
                .withRequestBody(containing("code=bad"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"bad_verification_code\"}")));
        Flows.Started started = Flows.started(provider, "/dashboard");
        Flows.callback(provider, Map.of("code", "bad", "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/dashboard?oauth_error=token_exchange_failed");
    }

    @Test
    void redirectsFromTheProviderAreNotFollowed() {
        String provider = provider();
        github().stubFor(post(urlEqualTo("/login/oauth/access_token"))
                .atPriority(1)
                .withRequestBody(containing("code=moved"))
                .willReturn(aResponse().withStatus(302).withHeader("Location", "https://evil.example/steal")));
        Flows.Started started = Flows.started(provider, "/dashboard");
        Flows.callback(provider, Map.of("code", "moved", "state", started.state()), started.bindingCookie())
                .then()
                .statusCode(307)
                .header("Location", "/dashboard?oauth_error=token_exchange_failed");
    }
}
