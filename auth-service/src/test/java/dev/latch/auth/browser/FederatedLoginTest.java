package dev.latch.auth.browser;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import dev.latch.common.security.RedirectValidator;
import dev.latch.common.security.SecureTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The login page's identity-provider buttons (read from a broker at its contract) and the way back from the broker,
 * {@code /v1/auth/federated/continue}, with a session minted by the real federated-sessions endpoint.
 */
@QuarkusTest
@TestProfile(FederatedLoginTest.WithBroker.class)
class FederatedLoginTest {

    /** The issuer of the test profile (latch.public-base-url) and the broker's public URL: two origins, as locally. */
    static final String ISSUER = "http://localhost:8081";

    static final String BROKER = "http://localhost:8082";
    static final String CLIENT = "latch-dev-web";
    static final String REDIRECT_URI = "http://localhost:8095/callback";
    private static final Pattern LINK =
            Pattern.compile("<a class=\"button secondary\" href=\"([^\"]*)\">Sign in with ([^<]*)</a>");
    private static final Pattern CONTINUE = Pattern.compile(Pattern.quote(ISSUER)
            + "(/v1/auth/federated/continue\\?request=([A-Za-z0-9_-]{32})&bind=[A-Za-z0-9_-]{22})");

    public static class WithBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "latch.auth.authorization.broker-url",
                    BROKER + "/",
                    "latch.auth.authorization.broker-cache-ttl",
                    "1S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeBrokerResource.class));
        }
    }

    record Pending(String requestId, String verifier, String state) {}

    record Link(String title, String href) {}

    record LoginPage(List<Link> links, String csrfCookie) {}

    @Test
    void loginPageShowsOneLinkPerBrokerProviderAndNoneWhileTheBrokerIsDown() {
        Pending pending = authorize();
        LoginPage page = awaitLinks(pending.requestId(), null);
        assertEquals(2, page.links().size(), "the malformed entry is skipped: " + page.links());
        assertEquals("GitHub", page.links().get(0).title());
        assertEquals("Corp &lt;SSO&gt; &amp; co", page.links().get(1).title(), "titles are HTML-escaped");
        String continueTarget = null;
        for (Link link : page.links()) {
            String id = link.title().equals("GitHub") ? "github" : "corp-sso";
            String prefix = BROKER + "/v1/auth/oauth/" + id + "/start?redirect_to=";
            assertTrue(link.href().startsWith(prefix), link.href());
            String raw = link.href().substring(prefix.length());
            assertFalse(raw.contains("&"), "redirect_to is one encoded query value: " + raw);
            String redirectTo = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            Matcher m = CONTINUE.matcher(redirectTo);
            assertTrue(m.matches(), redirectTo);
            assertEquals(pending.requestId(), m.group(2));
            // the broker checks the path after an allowed origin with the contract's redirect_to rules
            assertTrue(RedirectValidator.isSafe(m.group(1)), () -> "the broker would refuse " + m.group(1));
            if (continueTarget != null) {
                assertEquals(continueTarget, redirectTo, "every provider comes back to the same place");
            }
            continueTarget = redirectTo;
        }

        FakeBrokerResource.down();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                LoginPage down = loginPage(pending.requestId(), page.csrfCookie());
                assertEquals(List.of(), down.links(), "no buttons while the broker is down");
            });
            // the password form is still there
            given().cookie(Csrf.COOKIE, page.csrfCookie())
                    .queryParam("request", pending.requestId())
                    .get("/login")
                    .then()
                    .statusCode(200)
                    .body(containsString("name=\"password\""))
                    .body(containsString("Sign in"));
        } finally {
            FakeBrokerResource.up();
        }
        assertEquals(
                2, awaitLinks(pending.requestId(), page.csrfCookie()).links().size(), "back with the broker");
    }

    @Test
    void aFreshBrokerSessionFinishesTheAuthorizationRequestOnceAndIsRevoked() {
        Pending pending = authorize();
        LoginPage page = awaitLinks(pending.requestId(), null);
        String path = continuePath(page);
        JsonPath session = mintFederatedSession();

        Response back = given().redirects()
                .follow(false)
                .cookie("latch_refresh", session.getString("refreshToken"))
                .cookie(Csrf.COOKIE, page.csrfCookie())
                .get(path);
        back.then().statusCode(303).header("Cache-Control", "no-store");
        URI location = URI.create(back.getHeader("Location"));
        assertEquals(REDIRECT_URI, location.getScheme() + "://" + location.getAuthority() + location.getPath());
        Map<String, String> answer = query(location.getRawQuery());
        assertEquals(pending.state(), answer.get("state"));
        assertEquals(ISSUER, answer.get("iss"));
        assertNotNull(answer.get("code"));
        assertNotNull(back.getCookie("latch_session"), "a browser session started");
        assertEquals(0, back.getDetailedCookie("latch_refresh").getMaxAge(), "the hand-over cookie is cleared");
        assertEquals(
                "fed",
                Api.single("SELECT amr FROM browser_sessions WHERE user_id = ?::uuid", session.getString("userId")));

        // the code is the user's: the client exchanges it with its PKCE verifier
        String idToken = given().auth()
                .preemptive()
                .basic(CLIENT, "latch-dev-web-secret")
                .formParam("grant_type", "authorization_code")
                .formParam("code", answer.get("code"))
                .formParam("redirect_uri", REDIRECT_URI)
                .formParam("code_verifier", pending.verifier())
                .post("/oauth2/token")
                .then()
                .statusCode(200)
                .extract()
                .path("id_token");
        String claims = new String(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]), StandardCharsets.UTF_8);
        assertEquals(session.getString("userId"), JsonPath.from(claims).getString("sub"));

        // the hand-over session is gone: neither a refresh nor a second continue works with it
        given().cookie("latch_refresh", session.getString("refreshToken"))
                .post("/v1/auth/refresh")
                .then()
                .statusCode(401);
        Pending second = authorize();
        String secondPath = continuePath(awaitLinks(second.requestId(), page.csrfCookie()));
        loginError(given().cookie("latch_refresh", session.getString("refreshToken"))
                .cookie(Csrf.COOKIE, page.csrfCookie())
                .get(secondPath));
    }

    @Test
    void anOldMissingOrUnboundCookieGivesTheLoginPageWithAnError() {
        Pending pending = authorize();
        LoginPage page = awaitLinks(pending.requestId(), null);
        String path = continuePath(page);

        // no cookie
        loginError(given().cookie(Csrf.COOKIE, page.csrfCookie()).get(path));

        // a session older than the hand-over window is not taken over (and not revoked)
        JsonPath old = mintFederatedSession();
        Api.sql(
                "UPDATE refresh_families SET created_at = created_at - interval '10 minutes' WHERE user_id = ?::uuid",
                old.getString("userId"));
        loginError(given().cookie("latch_refresh", old.getString("refreshToken"))
                .cookie(Csrf.COOKIE, page.csrfCookie())
                .get(path));

        // a fresh session, but the link was made for another browser (or for no login page at all)
        JsonPath fresh = mintFederatedSession();
        loginError(given().cookie("latch_refresh", fresh.getString("refreshToken"))
                .cookie(Csrf.COOKIE, SecureTokens.randomBase64Url(24))
                .get(path));
        loginError(given().cookie("latch_refresh", fresh.getString("refreshToken"))
                .cookie(Csrf.COOKIE, page.csrfCookie())
                .queryParam("request", pending.requestId())
                .get("/v1/auth/federated/continue"));

        // none of these spent a session: both still refresh, and the request can still be finished
        given().cookie("latch_refresh", old.getString("refreshToken"))
                .post("/v1/auth/refresh")
                .then()
                .statusCode(200);
        given().redirects()
                .follow(false)
                .cookie("latch_refresh", fresh.getString("refreshToken"))
                .cookie(Csrf.COOKIE, page.csrfCookie())
                .get(path)
                .then()
                .statusCode(303)
                .header("Location", containsString("code="));
    }

    @Test
    void aProviderErrorIsShownInWordsOnTheLoginPage() {
        Pending pending = authorize();
        String path = continuePath(awaitLinks(pending.requestId(), null));
        String page = given().get(path + "&oauth_error=access_denied")
                .then()
                .statusCode(400)
                .contentType(ContentType.HTML)
                .extract()
                .asString();
        assertTrue(page.contains("The sign-in was cancelled at the identity provider."), page);
        assertTrue(page.contains("name=\"password\""), "the login form again");
        assertTrue(page.contains("value=\"" + pending.requestId() + "\""), "for the same request");

        given().get(path + "&oauth_error=signup_disabled")
                .then()
                .statusCode(400)
                .body(containsString("sign-up is disabled"));
        given().get("/v1/auth/federated/continue?request=" + SecureTokens.randomBase64Url(24) + "&oauth_error=x")
                .then()
                .statusCode(400)
                .body(containsString("This sign-in link has expired"));
    }

    private static void loginError(Response response) {
        response.then()
                .statusCode(400)
                .contentType(ContentType.HTML)
                .body(containsString("id=\"login-error\""))
                .body(containsString("could not be finished"))
                .body(containsString("name=\"password\""));
    }

    /** The continue path (without the issuer) that the login page's links send the broker back to. */
    private static String continuePath(LoginPage page) {
        String href = page.links().get(0).href();
        String redirectTo =
                URLDecoder.decode(href.substring(href.indexOf("redirect_to=") + 12), StandardCharsets.UTF_8);
        Matcher m = CONTINUE.matcher(redirectTo);
        assertTrue(m.matches(), redirectTo);
        return m.group(1);
    }

    /** What the broker does after a provider login: a first-party session through the real endpoint. */
    private static JsonPath mintFederatedSession() {
        Map<String, Object> body = new HashMap<>();
        body.put("provider", "github");
        body.put("subject", UUID.randomUUID().toString());
        body.put("email", null);
        body.put("emailVerified", false);
        body.put("displayName", "Grace Hopper");
        return given().auth()
                .oauth2(Api.clientToken("latch-idp", "latch-idp-secret", "sessions:issue"))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** A pending authorization request of the first-party dev web app, with PKCE, sent to the login page. */
    private static Pending authorize() {
        String verifier = SecureTokens.randomBase64Url(32);
        String challenge = SecureTokens.base64Url(SecureTokens.sha256(verifier));
        String state = SecureTokens.randomBase64Url(12);
        Response r = given().redirects()
                .follow(false)
                .queryParam("client_id", CLIENT)
                .queryParam("redirect_uri", REDIRECT_URI)
                .queryParam("response_type", "code")
                .queryParam("scope", "openid profile")
                .queryParam("state", state)
                .queryParam("code_challenge", challenge)
                .queryParam("code_challenge_method", "S256")
                .get("/oauth2/authorize");
        r.then().statusCode(302);
        // JAX-RS makes the relative Location absolute (against this request's base URI)
        URI location = URI.create(r.getHeader("Location"));
        String login = location.getRawPath() + "?" + location.getRawQuery();
        assertTrue(login.startsWith("/login?request="), login);
        return new Pending(login.substring("/login?request=".length()), verifier, state);
    }

    /** The login page once the broker's providers show (the list is cached for a second). */
    private static LoginPage awaitLinks(String requestId, String csrfCookie) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> loginPage(requestId, csrfCookie), p -> !p.links().isEmpty());
    }

    private static LoginPage loginPage(String requestId, String csrfCookie) {
        var spec = given().queryParam("request", requestId);
        if (csrfCookie != null) {
            spec.cookie(Csrf.COOKIE, csrfCookie);
        }
        Response r = spec.get("/login");
        r.then().statusCode(200);
        String cookie = r.getCookie(Csrf.COOKIE) != null ? r.getCookie(Csrf.COOKIE) : csrfCookie;
        List<Link> links = new ArrayList<>();
        Matcher m = LINK.matcher(r.asString());
        while (m.find()) {
            links.add(new Link(m.group(2), m.group(1).replace("&amp;", "&")));
        }
        return new LoginPage(links, cookie);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            params.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
