package dev.latch.auth.oauth2.authorize;

import static dev.latch.auth.oauth2.authorize.OidcBrowser.REDIRECT;
import static dev.latch.auth.oauth2.authorize.OidcBrowser.SPA;
import static dev.latch.auth.oauth2.authorize.OidcBrowser.WEB;
import static dev.latch.auth.oauth2.authorize.OidcBrowser.WEB_SECRET;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latch.auth.Api;
import dev.latch.auth.token.IdTokenIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The authorization code flow with PKCE through the real pages and endpoints: the login page, the browser session,
 * the consent page, every refusal of the authorization endpoint (an error page for an untrusted client or redirect
 * URI, a redirect with state and iss for everything else) and of the code exchange (invalid_grant).
 */
@QuarkusTest
class AuthorizationCodeFlowTest {

    private static final String VERIFIER = "verifier-0123456789-0123456789-0123456789-abcdef";

    private final OidcBrowser browser = new OidcBrowser();
    private String lastUser;

    /** A new user, logged in at the login page for {@code request}: the redirect that ends the login. */
    private Response loggedIn(Map<String, String> request) {
        String user = Api.uniqueName("op");
        Api.signUp(user);
        lastUser = user;
        Response first = browser.authorize(request);
        assertEquals(302, first.statusCode(), first.asString());
        assertThat(local(first.header("Location")), "/login?request=");
        return browser.logIn(local(first.header("Location")), user, Api.PASSWORD);
    }

    /** The path and query of a Location on this server. */
    static String local(String location) {
        java.net.URI uri = java.net.URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static void assertThat(String value, String prefix) {
        assertNotNull(value);
        assertTrue(value.startsWith(prefix), value);
    }

    private static Response exchange(String clientId, String secret, String code, String verifier) {
        var spec = given().formParam("grant_type", "authorization_code")
                .formParam("code", code)
                .formParam("redirect_uri", REDIRECT);
        if (verifier != null) {
            spec.formParam("code_verifier", verifier);
        }
        if (secret != null) {
            spec.auth().preemptive().basic(clientId, secret);
        } else {
            spec.formParam("client_id", clientId);
        }
        return spec.post("/oauth2/token");
    }

    private static JWTClaimsSet verifiedIdToken(String idToken) throws Exception {
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                java.util.Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA),
                new ImmutableJWKSet<>(jwks)));
        processor.setJWSTypeVerifier((type, context) -> {});
        return processor.process(idToken, null);
    }

    @Test
    void firstPartyClientGetsCodeTokensAndAVerifiableIdToken() throws Exception {
        Map<String, String> request = OidcBrowser.codeRequest(WEB, "openid profile email offline_access", VERIFIER);
        Response done = loggedIn(request);
        assertEquals(303, done.statusCode(), done.asString());
        assertNotNull(browser.cookies.get("latch_session"), "the login set latch_session");
        assertThat(done.header("Set-Cookie"), "");
        String setCookie = String.join("\n", done.headers().getValues("Set-Cookie"));
        assertTrue(setCookie.contains("latch_session=")
                && setCookie.contains("HttpOnly")
                && setCookie.contains("Secure")
                && setCookie.contains("SameSite=Lax")
                && setCookie.contains("Path=/"));
        String location = done.header("Location");
        assertThat(location, REDIRECT + "?");
        Map<String, String> answer = OidcBrowser.query(location);
        assertEquals(request.get("state"), answer.get("state"));
        String issuer = given().get("/.well-known/openid-configuration").path("issuer");
        assertEquals(issuer, answer.get("iss"));

        Response tokens = exchange(WEB, WEB_SECRET, answer.get("code"), VERIFIER);
        tokens.then().statusCode(200).header("Cache-Control", "no-store").body("token_type", equalTo("Bearer"));
        String access = tokens.path("access_token");
        assertNotNull(tokens.path("refresh_token"), "offline_access gives a refresh token");
        JWTClaimsSet id = verifiedIdToken(tokens.path("id_token"));
        assertEquals(issuer, id.getIssuer());
        assertEquals(List.of(WEB), id.getAudience());
        assertEquals(request.get("nonce"), id.getStringClaim("nonce"));
        assertEquals(
                IdTokenIssuer.leftHalfHash(
                        access,
                        tokens.path("id_token").toString().startsWith("eyJhbGciOiJFUzI1NiI") ? "ES256" : "RS256"),
                id.getStringClaim("at_hash"));
        assertNotNull(id.getStringClaim("sid"));
        assertEquals(List.of("pwd"), id.getStringListClaim("amr"));
        assertNotNull(id.getClaim("auth_time"));
        assertNotNull(id.getStringClaim("preferred_username"));

        // delegated access: the client's token is no Latch session (no PATs, no profile API without its scope)
        given().auth().oauth2(access).get("/v1/users/me/tokens").then().statusCode(403);
        given().auth()
                .oauth2(access)
                .contentType("application/json")
                .body(Map.of("name", "stolen", "scopes", List.of()))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(403);
        given().auth().oauth2(access).get("/v1/users/me").then().statusCode(403);

        // the refresh token rotates for its client, and is refused without the client's secret
        given().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", tokens.path("refresh_token").toString())
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
        given().auth()
                .preemptive()
                .basic(WEB, WEB_SECRET)
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", tokens.path("refresh_token").toString())
                .post("/oauth2/token")
                .then()
                .statusCode(200);

        // silent re-authentication with the session cookie
        Map<String, String> silent = OidcBrowser.codeRequest(WEB, "openid", VERIFIER);
        silent.put("prompt", "none");
        Response again = browser.authorize(silent);
        assertEquals(302, again.statusCode());
        Map<String, String> second = OidcBrowser.query(again.header("Location"));
        assertNotNull(second.get("code"));
        assertEquals(silent.get("state"), second.get("state"));

        // the code is single use: a second exchange fails and revokes what the first issued
        Response reused = exchange(WEB, WEB_SECRET, answer.get("code"), VERIFIER);
        reused.then().statusCode(400).body("error", equalTo("invalid_grant"));
        given().auth()
                .preemptive()
                .basic(WEB, WEB_SECRET)
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", tokens.path("refresh_token").toString())
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void promptNoneWithoutSessionIsLoginRequired() {
        Map<String, String> request = OidcBrowser.codeRequest(WEB, "openid", VERIFIER);
        request.put("prompt", "none");
        Response r = browser.authorize(request);
        assertEquals(302, r.statusCode());
        Map<String, String> answer = OidcBrowser.query(r.header("Location"));
        assertEquals("login_required", answer.get("error"));
        assertEquals(request.get("state"), answer.get("state"));
        assertNotNull(answer.get("iss"));
    }

    @Test
    void untrustedClientOrRedirectUriIsAnErrorPageNeverARedirect() {
        Map<String, String> unknown = OidcBrowser.codeRequest("no-such-client", "openid", VERIFIER);
        browser.request()
                .queryParams(unknown)
                .get("/oauth2/authorize")
                .then()
                .statusCode(400)
                .contentType(containsString("text/html"))
                .header("Location", nullValue())
                .body(containsString("client is unknown"));
        Map<String, String> foreign = OidcBrowser.codeRequest(WEB, "openid", VERIFIER);
        foreign.put("redirect_uri", "https://evil.example/callback");
        browser.request()
                .queryParams(foreign)
                .get("/oauth2/authorize")
                .then()
                .statusCode(400)
                .header("Location", nullValue())
                .body(containsString("not registered"));
        Map<String, String> noClient = OidcBrowser.codeRequest(WEB, "openid", VERIFIER);
        noClient.remove("client_id");
        browser.request().queryParams(noClient).get("/oauth2/authorize").then().statusCode(400);
        // a repeated redirect_uri cannot be trusted either
        browser.request()
                .queryParam("client_id", WEB)
                .queryParam("redirect_uri", REDIRECT, "https://evil.example/cb")
                .queryParam("response_type", "code")
                .get("/oauth2/authorize")
                .then()
                .statusCode(400)
                .header("Location", nullValue());
    }

    @Test
    void otherRefusalsGoBackToTheRedirectUriWithStateAndIss() {
        Map<String, String> noPkce = OidcBrowser.codeRequest(SPA, "openid", VERIFIER);
        noPkce.remove("code_challenge");
        noPkce.remove("code_challenge_method");
        assertError(noPkce, "invalid_request");
        Map<String, String> plain = OidcBrowser.codeRequest(SPA, "openid", VERIFIER);
        plain.put("code_challenge_method", "plain");
        assertError(plain, "invalid_request");
        Map<String, String> token = OidcBrowser.codeRequest(WEB, "openid", VERIFIER);
        token.put("response_type", "token");
        assertError(token, "unsupported_response_type");
        Map<String, String> scope = OidcBrowser.codeRequest(WEB, "openid tokens:introspect", VERIFIER);
        assertError(scope, "invalid_scope");
    }

    private void assertError(Map<String, String> request, String error) {
        Response r = browser.authorize(request);
        assertEquals(302, r.statusCode(), r.asString());
        assertThat(r.header("Location"), REDIRECT + "?");
        Map<String, String> answer = OidcBrowser.query(r.header("Location"));
        assertEquals(error, answer.get("error"));
        assertEquals(request.get("state"), answer.get("state"));
        assertNotNull(answer.get("iss"));
        assertNull(answer.get("code"));
    }

    @Test
    void thirdPartyClientShowsConsentWhichIsRememberedOrDenied() {
        Map<String, String> request = OidcBrowser.codeRequest(SPA, "openid profile", VERIFIER);
        Response consent = loggedIn(request);
        assertEquals(200, consent.statusCode(), consent.asString());
        String page = consent.asString();
        assertTrue(page.contains("<button type=\"submit\" name=\"decision\" value=\"allow\">"), page);
        assertTrue(page.contains("name=\"decision\" value=\"deny\""), page);
        assertTrue(page.contains("Latch dev single-page app"));
        assertTrue(page.contains("See your profile"));
        Map<String, String> form = OidcBrowser.hiddenFields(page);
        form.put("decision", "allow");
        Response allowed = browser.keep(browser.request().formParams(form).post("/oauth2/consent"));
        assertEquals(303, allowed.statusCode());
        Map<String, String> answer = OidcBrowser.query(allowed.header("Location"));
        Response tokens = exchange(SPA, null, answer.get("code"), VERIFIER);
        tokens.then().statusCode(200);
        assertNotNull(tokens.path("id_token"));

        // remembered: the same scopes go straight through; a wider request asks again and may be denied
        Response remembered = browser.authorize(OidcBrowser.codeRequest(SPA, "openid", VERIFIER));
        assertEquals(302, remembered.statusCode());
        assertNotNull(OidcBrowser.query(remembered.header("Location")).get("code"));
        Map<String, String> wider = OidcBrowser.codeRequest(SPA, "openid email", VERIFIER);
        Response ask = browser.authorize(wider);
        assertEquals(200, ask.statusCode());
        Map<String, String> deny = OidcBrowser.hiddenFields(ask.asString());
        deny.put("decision", "deny");
        Response denied = browser.keep(browser.request().formParams(deny).post("/oauth2/consent"));
        assertEquals(303, denied.statusCode());
        Map<String, String> refusal = OidcBrowser.query(denied.header("Location"));
        assertEquals("access_denied", refusal.get("error"));
        assertEquals(wider.get("state"), refusal.get("state"));
        // the form cannot be answered twice, nor without its CSRF token
        browser.request().formParams(deny).post("/oauth2/consent").then().statusCode(400);
        deny.put("csrf", "x".repeat(32));
        browser.request().formParams(deny).post("/oauth2/consent").then().statusCode(403);
    }

    @Test
    void withdrawingAConsentRevokesTheClientsRefreshTokens() {
        Map<String, String> request = OidcBrowser.codeRequest(SPA, "openid offline_access", VERIFIER);
        Response consent = loggedIn(request);
        Map<String, String> form = OidcBrowser.hiddenFields(consent.asString());
        form.put("decision", "allow");
        Response allowed = browser.keep(browser.request().formParams(form).post("/oauth2/consent"));
        String code = OidcBrowser.query(allowed.header("Location")).get("code");
        String refresh = exchange(SPA, null, code, VERIFIER)
                .then()
                .statusCode(200)
                .extract()
                .path("refresh_token");
        String userToken = Api.signIn(lastUser, Api.PASSWORD).then().extract().path("accessToken");
        given().auth()
                .oauth2(userToken)
                .delete("/v1/users/me/consents/" + SPA)
                .then()
                .statusCode(204);
        given().formParam("grant_type", "refresh_token")
                .formParam("client_id", SPA)
                .formParam("refresh_token", refresh)
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void codeExchangeRefusesWrongVerifierOtherClientAndExpiredCode() {
        Map<String, String> request = OidcBrowser.codeRequest(WEB, "openid", VERIFIER);
        String code = OidcBrowser.query(loggedIn(request).header("Location")).get("code");
        exchange(WEB, WEB_SECRET, code, VERIFIER + "x").then().statusCode(400).body("error", equalTo("invalid_grant"));

        String another = OidcBrowser.query(browser.authorize(OidcBrowser.codeRequest(WEB, "openid", VERIFIER))
                        .header("Location"))
                .get("code");
        exchange(SPA, null, another, VERIFIER).then().statusCode(400).body("error", equalTo("invalid_grant"));

        String expired = OidcBrowser.query(browser.authorize(OidcBrowser.codeRequest(WEB, "openid", VERIFIER))
                        .header("Location"))
                .get("code");
        Api.sql(
                "UPDATE authorization_codes SET expires_at = now() - interval '1 second' WHERE code_hash = ?",
                dev.latch.common.security.SecureTokens.sha256(expired));
        exchange(WEB, WEB_SECRET, expired, VERIFIER).then().statusCode(400).body("error", equalTo("invalid_grant"));

        String noSecret = OidcBrowser.query(browser.authorize(OidcBrowser.codeRequest(WEB, "openid", VERIFIER))
                        .header("Location"))
                .get("code");
        exchange(WEB, null, noSecret, VERIFIER).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void loginPageIsAnAccessibleFormWithCsrfAndVisibleErrors() {
        Response page = browser.get("/login");
        page.then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Referrer-Policy", "same-origin")
                .body(containsString("<label for=\"username\">"))
                .body(containsString("<label for=\"password\">"))
                .body(containsString("name=\"csrf\""));
        assertNotNull(browser.cookies.get("latch_csrf"));
        String user = Api.uniqueName("op");
        Api.signUp(user);
        Map<String, String> form = OidcBrowser.hiddenFields(page.asString());
        form.put("username", user);
        form.put("password", "wrong password");
        browser.request()
                .formParams(form)
                .post("/login")
                .then()
                .statusCode(401)
                .body(containsString("role=\"alert\""))
                .body(containsString("The username or password is incorrect."));
        // a browser without Sec-Fetch-Site is held to its Origin: this service's own is accepted, another refused
        browser.request()
                .header("Origin", "http://localhost:8081")
                .formParams(form)
                .post("/login")
                .then()
                .statusCode(401);
        browser.request()
                .header("Origin", "https://evil.example")
                .formParams(form)
                .post("/login")
                .then()
                .statusCode(403);
        browser.request()
                .header("Sec-Fetch-Site", "cross-site")
                .formParams(form)
                .post("/login")
                .then()
                .statusCode(403);
        form.put("password", Api.PASSWORD);
        form.put("csrf", "y".repeat(32));
        browser.request().formParams(form).post("/login").then().statusCode(403);
        form.remove("csrf");
        browser.request().formParams(form).post("/login").then().statusCode(403);
        given().get("/login?request=" + "z".repeat(32)).then().statusCode(400);
    }

    @Test
    void theLoginPageTakesAnEmailAddressToo() {
        String user = Api.uniqueName("mail");
        given().contentType("application/json")
                .body(Map.of("username", user, "password", Api.PASSWORD, "email", user + "@example.com"))
                .post("/v1/auth/signup")
                .then()
                .statusCode(201);
        Response done = browser.logIn("/login", user.toUpperCase(java.util.Locale.ROOT) + "@Example.com", Api.PASSWORD);
        assertEquals(200, done.statusCode(), done.asString());
        assertTrue(done.asString().contains("You are signed in"));
        assertNotNull(browser.cookies.get("latch_session"));
    }

    @Test
    void pushedAuthorizationRequestIsUsedOnce() {
        Map<String, String> params = OidcBrowser.codeRequest(WEB, "openid", VERIFIER);
        Response pushed = given().auth()
                .preemptive()
                .basic(WEB, WEB_SECRET)
                .formParams(params)
                .post("/oauth2/par");
        pushed.then()
                .statusCode(201)
                .body("request_uri", startsWith("urn:ietf:params:oauth:request_uri:"))
                .body("expires_in", equalTo(60));
        String requestUri = pushed.path("request_uri");
        Response first = browser.authorize(Map.of("client_id", WEB, "request_uri", requestUri));
        assertEquals(302, first.statusCode());
        assertThat(local(first.header("Location")), "/login?request=");
        browser.request()
                .queryParam("client_id", WEB)
                .queryParam("request_uri", requestUri)
                .get("/oauth2/authorize")
                .then()
                .statusCode(400)
                .header("Location", nullValue());
        Map<String, String> bad = OidcBrowser.codeRequest(WEB, "openid", VERIFIER);
        bad.put("redirect_uri", "https://evil.example/cb");
        given().auth()
                .preemptive()
                .basic(WEB, WEB_SECRET)
                .formParams(bad)
                .post("/oauth2/par")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().auth()
                .preemptive()
                .basic(WEB, "wrong")
                .formParams(params)
                .post("/oauth2/par")
                .then()
                .statusCode(401);
    }

    @Test
    void discoveryListsTheProvider() {
        given().get("/.well-known/openid-configuration")
                .then()
                .statusCode(200)
                .body("authorization_endpoint", org.hamcrest.Matchers.endsWith("/oauth2/authorize"))
                .body("pushed_authorization_request_endpoint", org.hamcrest.Matchers.endsWith("/oauth2/par"))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .body("authorization_response_iss_parameter_supported", equalTo(true))
                .body("response_types_supported", equalTo(List.of("code")));
    }
}
