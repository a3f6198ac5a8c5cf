package dev.latch.auth.oauth2.logout;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import dev.latch.auth.key.SigningKeyStore;
import dev.latch.auth.oauth2.CodeFlow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/**
 * OIDC RP-Initiated Logout: with a valid id_token_hint the session ends at once (cookie, refresh tokens, prompt=none
 * all stop working) and the browser goes to the registered post-logout URI with state; without a hint the user is
 * asked, and only the page's CSRF-protected post logs out; an unregistered URI is never followed.
 */
@QuarkusTest
class LogoutTest {

    private static final String LOGOUT = "/oauth2/logout";

    @Inject
    SigningKeyStore keys;

    /** A browser signed in through latch-dev-web, with the tokens it got. */
    private record SignedIn(CodeFlow browser, String username, String session, JsonPath tokens) {}

    private static SignedIn signedIn() {
        String username = CodeFlow.newUser(null, null);
        CodeFlow browser = new CodeFlow();
        JsonPath tokens = browser.tokens(
                CodeFlow.Request.of(CodeFlow.WEB, CodeFlow.WEB_REDIRECT, "openid profile offline_access"),
                username,
                CodeFlow.WEB_SECRET);
        String session = browser.cookies.get("latch_session");
        assertNotNull(session, "the login set latch_session");
        return new SignedIn(browser, username, session, tokens);
    }

    /** What prompt=none answers for a browser holding only this session cookie. */
    private static Map<String, String> silentAuthorize(String sessionCookie) {
        CodeFlow browser = new CodeFlow();
        browser.cookies.put("latch_session", sessionCookie);
        Response r = browser.authorize(CodeFlow.Request.of(CodeFlow.WEB, CodeFlow.WEB_REDIRECT, "openid"), "none");
        assertEquals(302, r.statusCode());
        return CodeFlow.query(r.header("Location"));
    }

    private static Response refresh(String refreshToken) {
        return RestAssured.given()
                .auth()
                .preemptive()
                .basic(CodeFlow.WEB, CodeFlow.WEB_SECRET)
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken)
                .post("/oauth2/token");
    }

    private static void assertSignedIn(String sessionCookie) {
        assertNotNull(silentAuthorize(sessionCookie).get("code"), "the session still authorizes");
    }

    private static void assertSignedOut(String sessionCookie) {
        assertEquals("login_required", silentAuthorize(sessionCookie).get("error"), "the session has ended");
    }

    private static String sidOf(String idToken) throws Exception {
        return JwtClaims.parse(new String(
                        java.util.Base64.getUrlDecoder().decode(idToken.split("\\.")[1]),
                        java.nio.charset.StandardCharsets.UTF_8))
                .getStringClaimValue("sid");
    }

    @Test
    void logoutWithAnIdTokenHintEndsTheSessionAndRedirectsWithState() throws Exception {
        SignedIn s = signedIn();
        String idToken = s.tokens().getString("id_token");
        String refreshToken = s.tokens().getString("refresh_token");
        assertSignedIn(s.session());
        String rotated = refresh(refreshToken).then().statusCode(200).extract().path("refresh_token");

        Response r = s.browser()
                .browser()
                .queryParam("id_token_hint", idToken)
                .queryParam("post_logout_redirect_uri", CodeFlow.WEB_LOGOUT)
                .queryParam("state", "st ate/1")
                .get(LOGOUT);

        r.then().statusCode(302).header("Location", equalTo(CodeFlow.WEB_LOGOUT + "?state=st+ate%2F1"));
        assertTrue(
                r.headers().getValues("Set-Cookie").stream()
                        .anyMatch(c -> c.startsWith("latch_session=;") && c.contains("Max-Age=0")),
                "latch_session is cleared: " + r.headers().getValues("Set-Cookie"));
        assertSignedOut(s.session());
        refresh(rotated).then().statusCode(400).body("error", equalTo("invalid_grant"));
        String sid = sidOf(idToken);
        assertEquals(
                1L,
                Api.count(
                        "SELECT count(*) FROM audit_events WHERE type = 'auth.signout' "
                                + "AND metadata->>'browser_session_id' = ? AND metadata->>'client_id' = ?",
                        sid,
                        CodeFlow.WEB));
    }

    @Test
    void anExpiredHintStillLogsOutAndWithoutARedirectUriTheSignedOutPageIsShown() {
        SignedIn s = signedIn();
        String userId = (String) Api.single("SELECT id::text FROM users WHERE username = ?", s.username());
        String sid = (String) Api.single(
                "SELECT id::text FROM browser_sessions WHERE user_id = ?::uuid AND revoked_at IS NULL", userId);
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(RestAssuredIssuer.issuer());
        claims.setSubject(userId);
        claims.setAudience(CodeFlow.WEB);
        claims.setIssuedAt(NumericDate.fromSeconds(1_700_000_000L));
        claims.setExpirationTime(NumericDate.fromSeconds(1_700_000_900L));
        claims.setStringClaim("sid", sid);
        String expiredHint = keys.sign(claims.toJson(), "JWT");

        // from another browser (no cookie): the hint alone names the session
        new CodeFlow()
                .browser()
                .queryParam("id_token_hint", expiredHint)
                .get(LOGOUT)
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("You are signed out"));
        assertSignedOut(s.session());
    }

    @Test
    void aHintNotSignedByThisServerOrOfAnotherIssuerIsRefusedWithoutLoggingOut() {
        SignedIn s = signedIn();
        String idToken = s.tokens().getString("id_token");
        String[] parts = idToken.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        JwtClaims foreign = new JwtClaims();
        foreign.setIssuer("https://evil.example");
        foreign.setSubject(UUID.randomUUID().toString());
        foreign.setAudience(CodeFlow.WEB);
        String otherIssuer = keys.sign(foreign.toJson(), "JWT");
        // an access token is no ID token, even signed by this server
        String accessToken = s.tokens().getString("access_token");

        for (String hint : new String[] {forged, otherIssuer, accessToken, "garbage"}) {
            s.browser()
                    .browser()
                    .queryParam("id_token_hint", hint)
                    .queryParam("post_logout_redirect_uri", CodeFlow.WEB_LOGOUT)
                    .get(LOGOUT)
                    .then()
                    .statusCode(400)
                    .header("Location", nullValue())
                    .contentType(containsString("text/html"));
        }
        assertSignedIn(s.session());
    }

    @Test
    void anUnregisteredPostLogoutRedirectUriGetsAnErrorPageAndNoRedirect() {
        SignedIn s = signedIn();
        String idToken = s.tokens().getString("id_token");

        for (String uri : new String[] {
            "https://evil.example/", CodeFlow.WEB_LOGOUT + "x", "http://localhost:8095", CodeFlow.WEB_REDIRECT
        }) {
            s.browser()
                    .browser()
                    .queryParam("id_token_hint", idToken)
                    .queryParam("post_logout_redirect_uri", uri)
                    .get(LOGOUT)
                    .then()
                    .statusCode(400)
                    .header("Location", nullValue())
                    .body(containsString("not registered"));
        }
        // a redirect URI with no client to check it against
        s.browser()
                .browser()
                .queryParam("post_logout_redirect_uri", CodeFlow.WEB_LOGOUT)
                .get(LOGOUT)
                .then()
                .statusCode(400)
                .header("Location", nullValue());
        // client_id naming another client than the hint's
        s.browser()
                .browser()
                .queryParam("id_token_hint", idToken)
                .queryParam("client_id", "latch-dev-spa")
                .queryParam("post_logout_redirect_uri", CodeFlow.WEB_LOGOUT)
                .get(LOGOUT)
                .then()
                .statusCode(400)
                .header("Location", nullValue());
        assertSignedIn(s.session());
    }

    @Test
    void withoutAHintTheUserConfirmsAndOnlyTheCsrfProtectedPostLogsOut() {
        SignedIn s = signedIn();
        String refreshToken = s.tokens().getString("refresh_token");

        Response page = s.browser()
                .keep(s.browser()
                        .browser()
                        .queryParam("client_id", CodeFlow.WEB)
                        .queryParam("post_logout_redirect_uri", CodeFlow.WEB_LOGOUT)
                        .queryParam("state", "abc")
                        .get(LOGOUT));
        page.then()
                .statusCode(200)
                .header("Cache-Control", containsString("no-store"))
                .header("Content-Security-Policy", containsString("form-action 'self' http://localhost:8095"))
                .body(containsString("action=\"/oauth2/logout\""))
                .body(containsString(s.username()));
        String csrf = CodeFlow.csrfField(page.asString());
        assertSignedIn(s.session());

        // another site's form, or one without the page's token, logs nobody out
        s.browser()
                .browser()
                .contentType(ContentType.URLENC)
                .formParam("client_id", CodeFlow.WEB)
                .formParam("post_logout_redirect_uri", CodeFlow.WEB_LOGOUT)
                .post(LOGOUT)
                .then()
                .statusCode(403)
                .header("Location", nullValue());
        s.browser()
                .browser()
                .contentType(ContentType.URLENC)
                .formParam("csrf", "x" + csrf.substring(1))
                .post(LOGOUT)
                .then()
                .statusCode(403);
        s.browser()
                .browser()
                .header("Sec-Fetch-Site", "cross-site")
                .contentType(ContentType.URLENC)
                .formParam("csrf", csrf)
                .post(LOGOUT)
                .then()
                .statusCode(403);
        assertSignedIn(s.session());

        Response confirmed = s.browser()
                .browser()
                .contentType(ContentType.URLENC)
                .formParam("csrf", csrf)
                .formParam("client_id", CodeFlow.WEB)
                .formParam("post_logout_redirect_uri", CodeFlow.WEB_LOGOUT)
                .formParam("state", "abc")
                .post(LOGOUT);
        confirmed.then().statusCode(303).header("Location", equalTo(CodeFlow.WEB_LOGOUT + "?state=abc"));
        assertTrue(confirmed.headers().getValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("latch_session=;")));
        assertSignedOut(s.session());
        refresh(refreshToken).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void withoutAHintOrASessionThereIsNothingToConfirm() {
        Response r = new CodeFlow()
                .browser()
                .queryParam("client_id", CodeFlow.WEB)
                .queryParam("post_logout_redirect_uri", CodeFlow.WEB_LOGOUT)
                .queryParam("state", "s1")
                .get(LOGOUT);
        r.then().statusCode(302).header("Location", equalTo(CodeFlow.WEB_LOGOUT + "?state=s1"));
        new CodeFlow().browser().get(LOGOUT).then().statusCode(200).body(containsString("You are signed out"));
    }

    @Test
    void aHintOfAnotherUserDoesNotEndThisBrowsersSession() {
        SignedIn victim = signedIn();
        SignedIn attacker = signedIn();

        // the attacker's page sends the victim's browser to logout with the attacker's own ID token
        Response r = victim.browser()
                .browser()
                .queryParam("id_token_hint", attacker.tokens().getString("id_token"))
                .get(LOGOUT);

        r.then().statusCode(200);
        assertFalse(
                r.headers().getValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("latch_session=")),
                "the victim's cookie is left alone");
        assertSignedIn(victim.session());
        assertSignedOut(attacker.session());
    }

    /** The issuer of the test run's tokens, as the ID tokens carry it. */
    static final class RestAssuredIssuer {
        static String issuer() {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getValue("latch.auth.token.issuer", String.class);
        }
    }
}
