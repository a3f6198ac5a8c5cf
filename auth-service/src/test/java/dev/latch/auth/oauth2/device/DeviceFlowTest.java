package dev.latch.auth.oauth2.device;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
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
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.latch.auth.Api;
import dev.latch.common.testing.SecretLedger;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * RFC 8628 end to end: the test acts as the CLI (device authorization, polling the token endpoint) and as the
 * browser (the login page, then the device page) of the person who approves or denies it.
 */
@QuarkusTest
class DeviceFlowTest {

    private static final String CLI = "latch-dev-cli";
    private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
    private static final String USER_CODE = "[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}";

    /** A browser signed in at the login page: its cookies and the CSRF token of its last page. */
    private record Browser(String username, String session, String csrfCookie) {}

    @Test
    void cliIsApprovedInTheBrowserAndGetsVerifiableTokensOnce() throws Exception {
        String issuer = given().get("/.well-known/openid-configuration")
                .then()
                .extract()
                .path("issuer");
        JsonPath device = deviceAuthorization(CLI, "openid profile offline_access")
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .contentType(ContentType.JSON)
                .body("device_code", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("user_code", matchesPattern(USER_CODE))
                .body("verification_uri", equalTo(issuer + "/device"))
                .body("expires_in", equalTo(600))
                .body("interval", equalTo(5))
                .extract()
                .jsonPath();
        String deviceCode = device.getString("device_code");
        String userCode = device.getString("user_code");
        SecretLedger.record("device code", deviceCode);
        assertEquals(issuer + "/device?user_code=" + userCode, device.getString("verification_uri_complete"));
        assertEquals(
                1L,
                Api.count(
                        "SELECT count(*) FROM device_authorizations WHERE device_code_hash = sha256(?::bytea)"
                                + " AND user_code = ? AND status = 'pending'",
                        deviceCode,
                        userCode),
                "only the device code's SHA-256 is stored");

        poll(CLI, deviceCode).then().statusCode(400).body("error", equalTo("authorization_pending"));
        poll(CLI, deviceCode)
                .then()
                .statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("slow_down"));
        assertEquals(
                10, Api.single("SELECT interval_seconds FROM device_authorizations WHERE user_code = ?", userCode));

        // the verification_uri_complete without a session: to the login page, which comes back with the code
        String typedInUrl = userCode.toLowerCase(Locale.ROOT).replace("-", "");
        String location = given().redirects()
                .follow(false)
                .queryParam("user_code", typedInUrl)
                .get("/device")
                .then()
                .statusCode(303)
                .extract()
                .header("Location");
        assertTrue(location.contains("/login?return_to="), location);
        String returnTo =
                URLDecoder.decode(location.substring(location.indexOf("return_to=") + 10), StandardCharsets.UTF_8);
        assertEquals("/device?user_code=" + userCode, returnTo);

        Browser browser = signIn(returnTo);
        Response page = given().redirects()
                .follow(false)
                .cookie("latch_session", browser.session())
                .cookie("latch_csrf", browser.csrfCookie())
                .queryParam("user_code", typedInUrl)
                .get("/device");
        page.then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Cache-Control", "no-store")
                .body(containsString("name=\"user_code\" value=\"" + userCode + "\""))
                .body(containsString(browser.username()));
        String csrf = csrfField(page);

        Response confirm = postDevice(browser, csrf, " " + userCode.toLowerCase(Locale.ROOT) + " ", null);
        confirm.then()
                .statusCode(200)
                .body(containsString("Latch dev CLI"))
                .body(containsString(userCode))
                .body(containsString("Know who you are"))
                .body(containsString("See your profile"))
                .body(containsString("Stay connected"))
                .body(containsString("<button type=\"submit\" name=\"decision\" value=\"allow\">"))
                .body(containsString("name=\"decision\" value=\"deny\""))
                .body(containsString("name=\"user_code\" value=\"" + userCode + "\""));
        assertEquals("pending", Api.single("SELECT status FROM device_authorizations WHERE user_code = ?", userCode));

        postDevice(browser, csrfField(confirm), userCode, "allow")
                .then()
                .statusCode(200)
                .body(containsString("Device connected"));
        assertEquals("approved", Api.single("SELECT status FROM device_authorizations WHERE user_code = ?", userCode));

        // the CLI keeps the interval slow_down raised it to: wait until the server's own state says a poll is due
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> Boolean.TRUE.equals(Api.single(
                        "SELECT last_polled_at + interval_seconds * interval '1 second' <= now()"
                                + " FROM device_authorizations WHERE user_code = ?",
                        userCode)));
        JsonPath tokens = poll(CLI, deviceCode)
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("scope", equalTo("openid profile offline_access"))
                .body("refresh_token", notNullValue())
                .extract()
                .jsonPath();
        SecretLedger.record("refresh token", tokens.getString("refresh_token"));

        String userId = (String) Api.single("SELECT id::text FROM users WHERE username = ?", browser.username());
        String sid = (String)
                Api.single("SELECT browser_session_id::text FROM device_authorizations WHERE user_code = ?", userCode);
        assertNotNull(sid, "the approving browser session is recorded");

        JWTClaimsSet id = verified(tokens.getString("id_token"));
        assertEquals(issuer, id.getIssuer());
        assertEquals(List.of(CLI), id.getAudience());
        assertEquals(userId, id.getSubject());
        assertEquals(sid, id.getStringClaim("sid"));
        assertEquals(List.of("pwd"), id.getStringListClaim("amr"));
        assertNotNull(id.getClaim("auth_time"));
        assertNotNull(id.getStringClaim("at_hash"));
        assertNull(id.getClaim("nonce"), "the device flow has no nonce");
        assertEquals(browser.username(), id.getStringClaim("preferred_username"));

        JWTClaimsSet access = verified(tokens.getString("access_token"));
        assertEquals(issuer, access.getIssuer());
        assertEquals(userId, access.getSubject());
        assertEquals(CLI, access.getStringClaim("client_id"));
        assertEquals("openid profile offline_access", access.getStringClaim("scope"));

        // single use
        poll(CLI, deviceCode).then().statusCode(400).body("error", equalTo("invalid_grant"));
        assertEquals("used", Api.single("SELECT status FROM device_authorizations WHERE user_code = ?", userCode));
        // the code cannot be approved again either
        postDevice(browser, csrf, userCode, "allow")
                .then()
                .statusCode(400)
                .body(containsString("This code is not valid or has expired"));

        // the refresh token belongs to the CLI and to the browser session that approved
        given().formParam("grant_type", "refresh_token")
                .formParam("client_id", CLI)
                .formParam("refresh_token", tokens.getString("refresh_token"))
                .post("/oauth2/token")
                .then()
                .statusCode(200)
                .body("access_token", notNullValue());
        assertEquals(
                1L,
                Api.count(
                        "SELECT count(*) FROM refresh_families WHERE browser_session_id = ?::uuid AND client_id = ?",
                        sid,
                        CLI));
    }

    @Test
    void deniedRequestAnswersAccessDenied() {
        JsonPath device = deviceAuthorization(CLI, "openid")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String deviceCode = device.getString("device_code");
        Browser browser = signIn("/device");
        String csrf = csrfField(deviceForm(browser));
        Response confirm = postDevice(browser, csrf, device.getString("user_code"), null);
        confirm.then()
                .statusCode(200)
                .body(containsString("Know who you are"))
                .body(not(containsString("Stay connected")));
        postDevice(browser, csrfField(confirm), device.getString("user_code"), "deny")
                .then()
                .statusCode(200)
                .body(containsString("Request denied"));
        assertEquals(
                "denied",
                Api.single(
                        "SELECT status FROM device_authorizations WHERE user_code = ?", device.getString("user_code")));

        poll(CLI, deviceCode).then().statusCode(400).body("error", equalTo("access_denied"));
    }

    @Test
    void expiredCodeAnswersExpiredTokenAndCannotBeEntered() {
        JsonPath device =
                deviceAuthorization(CLI, null).then().statusCode(200).extract().jsonPath();
        String deviceCode = device.getString("device_code");
        String userCode = device.getString("user_code");
        Api.sql(
                "UPDATE device_authorizations SET expires_at = now() - interval '1 second' WHERE user_code = ?",
                userCode);

        poll(CLI, deviceCode)
                .then()
                .statusCode(400)
                .body("error", equalTo("expired_token"))
                .body("error_description", notNullValue());

        Browser browser = signIn("/device");
        String csrf = csrfField(deviceForm(browser));
        postDevice(browser, csrf, userCode, null)
                .then()
                .statusCode(400)
                .body(containsString("role=\"alert\""))
                .body(containsString("This code is not valid or has expired"))
                .body(containsString("name=\"csrf\" value=\"" + csrf + "\""));
        postDevice(browser, csrf, "BCDF-GHJK-LMNP", null)
                .then()
                .statusCode(400)
                .body(containsString("This code is not valid or has expired"));
        postDevice(browser, csrf, userCode, "allow").then().statusCode(400);
        assertEquals("pending", Api.single("SELECT status FROM device_authorizations WHERE user_code = ?", userCode));
    }

    @Test
    void deviceCodeIsBoundToItsClient() {
        String admin = Api.newAdminToken();
        Map<String, Object> other = new HashMap<>();
        other.put("name", "Another CLI");
        other.put("type", "public");
        other.put("grantTypes", List.of(DEVICE_GRANT));
        other.put("scopes", List.of("openid"));
        String otherCli = given().contentType(ContentType.JSON)
                .auth()
                .oauth2(admin)
                .body(other)
                .post("/v1/oauth-clients")
                .then()
                .statusCode(201)
                .extract()
                .path("clientId");

        String deviceCode = deviceAuthorization(CLI, "openid")
                .then()
                .statusCode(200)
                .extract()
                .path("device_code");
        poll(otherCli, deviceCode).then().statusCode(400).body("error", equalTo("invalid_grant"));
        // the other client's own requests work, and its scopes bound them
        deviceAuthorization(otherCli, "openid").then().statusCode(200);
        deviceAuthorization(otherCli, "openid profile").then().statusCode(400).body("error", equalTo("invalid_scope"));
        // the CLI's code is still only pending for the CLI
        poll(CLI, deviceCode).then().statusCode(400).body("error", equalTo("authorization_pending"));
    }

    @Test
    void confidentialClientAuthenticatesAtTheDeviceEndpoint() {
        String admin = Api.newAdminToken();
        Map<String, Object> tv = new HashMap<>();
        tv.put("name", "Living-room TV");
        tv.put("type", "confidential");
        tv.put("grantTypes", List.of(DEVICE_GRANT));
        tv.put("scopes", List.of("openid", "profile"));
        JsonPath created = given().contentType(ContentType.JSON)
                .auth()
                .oauth2(admin)
                .body(tv)
                .post("/v1/oauth-clients")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String clientId = created.getString("clientId");
        String secret = created.getString("clientSecret");
        SecretLedger.record("client secret", secret);

        String deviceCode = given().auth()
                .preemptive()
                .basic(clientId, secret)
                .formParam("scope", "profile")
                .post("/oauth2/device_authorization")
                .then()
                .statusCode(200)
                .extract()
                .path("device_code");
        given().auth()
                .preemptive()
                .basic(clientId, secret)
                .formParam("grant_type", DEVICE_GRANT)
                .formParam("device_code", deviceCode)
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("authorization_pending"));
        // a confidential client naming itself without its secret, or with a wrong one
        deviceAuthorization(clientId, null).then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth()
                .preemptive()
                .basic(clientId, "wrong")
                .post("/oauth2/device_authorization")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("Basic"))
                .body("error", equalTo("invalid_client"));
        poll(clientId, deviceCode).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void deviceAuthorizationErrorsFollowRfc6749() {
        deviceAuthorization("no-such-client", null)
                .then()
                .statusCode(401)
                .contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_client"));
        given().contentType(ContentType.URLENC)
                .post("/oauth2/device_authorization")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"));
        deviceAuthorization(CLI, "openid email")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_scope"))
                .body("status", equalTo(400));
        // a public client without the device grant
        deviceAuthorization("latch-dev-spa", "openid")
                .then()
                .statusCode(400)
                .body("error", equalTo("unauthorized_client"));
        given().formParam("client_id", CLI, CLI)
                .post("/oauth2/device_authorization")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));

        given().formParam("grant_type", DEVICE_GRANT)
                .formParam("client_id", CLI)
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
        poll(CLI, "not-a-device-code").then().statusCode(400).body("error", equalTo("invalid_grant"));
        poll("no-such-client", "not-a-device-code").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().formParam("grant_type", DEVICE_GRANT)
                .formParam("client_id", "latch-dev-spa")
                .formParam("device_code", "x")
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("unauthorized_client"));
    }

    @Test
    void devicePageRefusesForgedPosts() {
        String userCode = deviceAuthorization(CLI, "openid")
                .then()
                .statusCode(200)
                .extract()
                .path("user_code");
        Browser browser = signIn("/device");
        String csrf = csrfField(deviceForm(browser));
        // another site's page
        given().redirects()
                .follow(false)
                .cookie("latch_session", browser.session())
                .cookie("latch_csrf", browser.csrfCookie())
                .header("Origin", "https://evil.example")
                .formParam("csrf", csrf)
                .formParam("user_code", userCode)
                .formParam("decision", "allow")
                .post("/device")
                .then()
                .statusCode(403);
        // no matching CSRF token
        given().redirects()
                .follow(false)
                .cookie("latch_session", browser.session())
                .cookie("latch_csrf", browser.csrfCookie())
                .formParam("csrf", "A".repeat(32))
                .formParam("user_code", userCode)
                .formParam("decision", "allow")
                .post("/device")
                .then()
                .statusCode(403);
        // no session: to the login page, keeping the code
        given().redirects()
                .follow(false)
                .cookie("latch_csrf", browser.csrfCookie())
                .formParam("csrf", csrf)
                .formParam("user_code", userCode)
                .formParam("decision", "allow")
                .post("/device")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login?return_to=%2Fdevice%3Fuser_code%3D" + userCode));
        // an unknown decision
        postDevice(browser, csrf, userCode, "maybe").then().statusCode(400);
        assertEquals("pending", Api.single("SELECT status FROM device_authorizations WHERE user_code = ?", userCode));
        // a GET without a session and without a code goes to the login page with return_to=/device
        given().redirects()
                .follow(false)
                .get("/device")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/login?return_to=%2Fdevice"));
    }

    @Test
    void guessingUserCodesIsLimitedPerUser() {
        String userCode =
                deviceAuthorization(CLI, null).then().statusCode(200).extract().path("user_code");
        Browser browser = signIn("/device");
        String csrf = csrfField(deviceForm(browser));
        // the test profile's limit: 5 failures per username and window (RFC 8628 §5.1)
        for (int i = 0; i < 5; i++) {
            postDevice(browser, csrf, "BCDF-GHJ" + "KLMNP".charAt(i), null)
                    .then()
                    .statusCode(400);
        }
        postDevice(browser, csrf, "BCDF-GHJQ", null)
                .then()
                .statusCode(429)
                .body(containsString("role=\"alert\""))
                .body(containsString("Too many wrong codes."));
        // even the right code waits for the window: a guesser learns nothing more
        postDevice(browser, csrf, userCode, null).then().statusCode(429);
    }

    private static Response deviceAuthorization(String clientId, String scope) {
        var spec = given().formParam("client_id", clientId);
        if (scope != null) {
            spec.formParam("scope", scope);
        }
        return spec.post("/oauth2/device_authorization");
    }

    private static Response poll(String clientId, String deviceCode) {
        return given().formParam("grant_type", DEVICE_GRANT)
                .formParam("client_id", clientId)
                .formParam("device_code", deviceCode)
                .post("/oauth2/token");
    }

    /** A new user, signed in at the login page shown for {@code returnTo}; the login comes back there. */
    private static Browser signIn(String returnTo) {
        String username = Api.uniqueName("device");
        Api.signUp(username);
        Response login = given().redirects()
                .follow(false)
                .queryParam("return_to", returnTo)
                .get("/login");
        login.then().statusCode(200).body(containsString("name=\"return_to\" value=\"" + returnTo + "\""));
        String csrfCookie = login.getCookie("latch_csrf");
        assertNotNull(csrfCookie, "the login page sets the CSRF cookie");
        Response signedIn = given().redirects()
                .follow(false)
                .cookie("latch_csrf", csrfCookie)
                .formParam("csrf", csrfField(login))
                .formParam("return_to", returnTo)
                .formParam("username", username)
                .formParam("password", Api.PASSWORD)
                .post("/login");
        signedIn.then().statusCode(303).header("Location", endsWith(returnTo));
        String session = signedIn.getCookie("latch_session");
        assertNotNull(session, "the login sets latch_session");
        SecretLedger.record("browser session", session);
        return new Browser(username, session, csrfCookie);
    }

    private static Response deviceForm(Browser browser) {
        Response page = given().redirects()
                .follow(false)
                .cookie("latch_session", browser.session())
                .cookie("latch_csrf", browser.csrfCookie())
                .get("/device");
        page.then().statusCode(200).body(containsString("Connect a device"));
        return page;
    }

    private static Response postDevice(Browser browser, String csrf, String userCode, String decision) {
        var spec = given().redirects()
                .follow(false)
                .cookie("latch_session", browser.session())
                .cookie("latch_csrf", browser.csrfCookie())
                .formParam("csrf", csrf)
                .formParam("user_code", userCode);
        if (decision != null) {
            spec.formParam("decision", decision);
        }
        return spec.post("/device");
    }

    private static String csrfField(Response page) {
        Matcher m = CSRF_FIELD.matcher(page.asString());
        assertTrue(m.find(), "the page has a csrf field");
        return m.group(1);
    }

    /** The JWT's claims after its signature is verified against the published JWKS (and exp/nbf checked). */
    private static JWTClaimsSet verified(String jwt) throws Exception {
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, context) -> {});
        JWSAlgorithm alg = SignedJWT.parse(jwt).getHeader().getAlgorithm();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(alg, new ImmutableJWKSet<>(jwks)));
        return processor.process(jwt, null);
    }
}
