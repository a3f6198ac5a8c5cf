package dev.latch.auth.oauth2;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import dev.latch.common.security.SecureTokens;
import dev.latch.common.testing.SecretLedger;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser run by hand through the authorization code flow: its cookies (latch_csrf, latch_session), the login
 * form, the redirect with the code, and the client's exchange at the token endpoint.
 */
public final class CodeFlow {

    public static final String WEB = "latch-dev-web";
    public static final String WEB_SECRET = "latch-dev-web-secret";
    public static final String WEB_REDIRECT = "http://localhost:8095/callback";
    public static final String WEB_LOGOUT = "http://localhost:8095/";

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** The browser's cookies. */
    public final Map<String, String> cookies = new HashMap<>();

    /** A registered user with an email and a display name; returns its username. */
    public static String newUser(String email, String displayName) {
        String username = Api.uniqueName("op");
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", Api.PASSWORD);
        if (email != null) {
            body.put("email", email);
        }
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/auth/signup")
                .then()
                .statusCode(201);
        return username;
    }

    public RequestSpecification browser() {
        RequestSpecification spec = given().redirects().follow(false);
        if (!cookies.isEmpty()) {
            spec.cookies(cookies);
        }
        return spec;
    }

    /** Remembers the cookies a response sets (an emptied cookie is forgotten). */
    public Response keep(Response r) {
        r.getDetailedCookies().forEach(c -> {
            if (c.getValue() == null || c.getValue().isEmpty() || c.getMaxAge() == 0) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        });
        return r;
    }

    /** The hidden csrf field of an HTML form. */
    public static String csrfField(String html) {
        Matcher m = CSRF_FIELD.matcher(html);
        assertTrue(m.find(), "the page has a csrf field");
        return m.group(1);
    }

    /** One authorization request, with its PKCE verifier. */
    public record Request(String clientId, String redirectUri, String scope, String state, String verifier) {

        public static Request of(String clientId, String redirectUri, String scope) {
            return new Request(
                    clientId, redirectUri, scope, SecureTokens.randomBase64Url(12), SecureTokens.randomBase64Url(32));
        }

        public Map<String, String> query(String prompt) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("response_type", "code");
            q.put("client_id", clientId);
            q.put("redirect_uri", redirectUri);
            q.put("scope", scope);
            q.put("state", state);
            q.put("nonce", "n-" + state);
            q.put("code_challenge", challenge(verifier));
            q.put("code_challenge_method", "S256");
            if (prompt != null) {
                q.put("prompt", prompt);
            }
            return q;
        }
    }

    public Response authorize(Request request, String prompt) {
        return keep(browser().queryParams(request.query(prompt)).get("/oauth2/authorize"));
    }

    /** Authorize, log in at the login page when asked to, and come back with the code (no consent page). */
    public String code(Request request, String username) {
        Response r = authorize(request, null);
        if (r.statusCode() == 302 && r.header("Location").contains("/login?request=")) {
            r = login(r.header("Location"), username);
        }
        assertEquals(3, r.statusCode() / 100, "redirected to the client");
        Map<String, String> answer = query(r.header("Location"));
        assertEquals(request.state(), answer.get("state"));
        assertNotNull(answer.get("code"), "a code in " + r.header("Location"));
        return answer.get("code");
    }

    /** The login page at {@code location} and its form posted with the user's password. */
    public Response login(String location, String username) {
        Response page = keep(browser().get(location));
        page.then().statusCode(200);
        String requestId = query(location).get("request");
        SecretLedger.record("password", Api.PASSWORD);
        return keep(browser()
                .contentType(ContentType.URLENC)
                .formParam("username", username)
                .formParam("password", Api.PASSWORD)
                .formParam("csrf", csrfField(page.asString()))
                .formParam("request", requestId)
                .post("/login"));
    }

    /** The client's exchange of the code (latch-dev-web's secret unless another is given). */
    public static JsonPath exchange(Request request, String code, String secret) {
        JsonPath tokens = given().auth()
                .preemptive()
                .basic(request.clientId(), secret)
                .formParam("grant_type", "authorization_code")
                .formParam("code", code)
                .formParam("redirect_uri", request.redirectUri())
                .formParam("code_verifier", request.verifier())
                .post("/oauth2/token")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        SecretLedger.record("refresh token", tokens.getString("refresh_token"));
        return tokens;
    }

    /** The whole flow for a (first-party) client: its token answer. */
    public JsonPath tokens(Request request, String username, String secret) {
        return exchange(request, code(request, username), secret);
    }

    public static Map<String, String> query(String location) {
        Map<String, String> values = new HashMap<>();
        String raw = URI.create(location).getRawQuery();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            values.put(
                    URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String challenge(String verifier) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(SecureTokens.sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }
}
