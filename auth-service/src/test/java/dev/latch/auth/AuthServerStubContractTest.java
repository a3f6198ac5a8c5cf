package dev.latch.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.common.testing.AuthServerStub;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthServerStub}, which stands in for auth-service in the other services' tests, against the real
 * auth-service: the same requests to both, and the stub must answer the same status and media type, and
 * only fields (in JWTs: claims) that auth-service answers too, of the same JSON type. A stub that drifts
 * from the service fails here, in auth-service's own suite, instead of letting the other services' tests
 * pass against answers auth-service never gives.
 */
@QuarkusTest
class AuthServerStubContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static AuthServerStub stub;
    private static String stubUrl;

    @BeforeAll
    static void startStub() {
        stub = new AuthServerStub();
        stubUrl = stub.start().get("latch.auth-service-url");
    }

    @AfterAll
    static void stopStub() {
        stub.stop();
    }

    /** A request sent to one of the two: the real service (relative paths) or the stub (its URL). */
    private record Target(String name, String base) {
        String url(String path) {
            return base + path;
        }
    }

    private static final Target REAL = new Target("auth-service", "");

    private static Target stubTarget() {
        return new Target("the stub", stubUrl);
    }

    private static void same(String what, Function<Target, Response> request) {
        same(what, request.apply(REAL), request.apply(stubTarget()));
    }

    private static void same(String what, Response real, Response stubbed) {
        assertEquals(
                real.statusCode(),
                stubbed.statusCode(),
                what + ": status; auth-service answered " + real.asString() + ", the stub " + stubbed.asString());
        assertEquals(mediaType(real), mediaType(stubbed), what + ": media type");
        String body = stubbed.asString();
        if (!body.isEmpty()) {
            fieldsAreReal(what, read(real.asString()), read(body), "");
        }
    }

    private static String mediaType(Response r) {
        String type = r.contentType();
        return type == null || type.isEmpty() ? "" : type.split(";")[0].trim();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** Every field of the stub's answer is one auth-service answers too, with the same JSON type. */
    private static void fieldsAreReal(String what, JsonNode real, JsonNode stubbed, String path) {
        Iterator<String> names = stubbed.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            assertTrue(real.has(name), what + ": the stub answers " + path + name + ", auth-service does not: " + real);
            JsonNode r = real.get(name);
            JsonNode s = stubbed.get(name);
            if (!s.isNull() && !r.isNull()) {
                assertEquals(r.getNodeType(), s.getNodeType(), what + ": type of " + path + name);
            }
            if (s.isObject()) {
                fieldsAreReal(what, r, s, path + name + ".");
            }
        }
    }

    private static JsonNode jwtPart(String jwt, int part) {
        return read(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[part]), StandardCharsets.UTF_8));
    }

    /** Same header values; claims of the stub's token all exist in auth-service's, with the same JSON type. */
    private static void sameToken(String what, String real, String stubbed) {
        assertEquals(
                jwtPart(real, 0).path("typ").asText(),
                jwtPart(stubbed, 0).path("typ").asText(),
                what + ": typ");
        assertEquals(
                jwtPart(real, 0).path("alg").asText(),
                jwtPart(stubbed, 0).path("alg").asText(),
                what + ": alg");
        fieldsAreReal(what + " (claims)", jwtPart(real, 1), jwtPart(stubbed, 1), "");
    }

    private static Set<String> cookieAttributes(Response r, String name) {
        List<String> cookies = r.headers().getValues("Set-Cookie");
        String cookie = cookies.stream()
                .filter(c -> c.startsWith(name + "="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + cookies));
        return Arrays.stream(cookie.split(";"))
                .skip(1)
                .map(a -> a.trim().split("=")[0].toLowerCase())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String cookieValue(Response r, String name) {
        return r.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(name + "="))
                .findFirst()
                .map(c -> c.substring(name.length() + 1).split(";")[0])
                .orElseThrow();
    }

    private static Response token(Target t, String client, String secret, Map<String, String> form) {
        RequestSpecification spec =
                given().auth().preemptive().basic(client, secret).contentType(ContentType.URLENC);
        form.forEach(spec::formParam);
        return spec.post(t.url("/oauth2/token"));
    }

    private static String accessToken(Target t, String client, String secret, String scope) {
        Response r = token(t, client, secret, Map.of("grant_type", "client_credentials", "scope", scope));
        assertEquals(200, r.statusCode(), t.name() + ": " + r.asString());
        return r.jsonPath().getString("access_token");
    }

    @Test
    void jwksHasTheServicesShape() {
        same("GET /.well-known/jwks.json", t -> given().get(t.url("/.well-known/jwks.json")));
        Response real = given().get("/.well-known/jwks.json");
        Response stubbed = given().get(stubUrl + "/.well-known/jwks.json");
        fieldsAreReal(
                "JWKS key",
                real.as(JsonNode.class).path("keys").get(0),
                stubbed.as(JsonNode.class).path("keys").get(0),
                "keys[].");
        assertNotNull(stubbed.header("Cache-Control"));
        assertNotNull(real.header("Cache-Control"));
    }

    @Test
    void clientCredentialsTokenHasTheServicesShape() {
        Map<String, String> form = Map.of("grant_type", "client_credentials", "scope", "tokens:introspect");
        Response real = token(REAL, "latch-dev", "latch-dev-secret", form);
        Response stubbed = token(stubTarget(), "latch-dev", "latch-dev-secret", form);
        same("client_credentials", real, stubbed);
        for (String field : List.of("token_type", "expires_in", "scope")) {
            assertEquals(
                    real.jsonPath().getString(field),
                    stubbed.jsonPath().getString(field),
                    "client_credentials: " + field);
        }
        sameToken(
                "client_credentials access token",
                real.jsonPath().getString("access_token"),
                stubbed.jsonPath().getString("access_token"));

        same("a wrong client secret", t -> token(t, "latch-dev", "wrong", form));
        assertEquals(
                "invalid_client",
                token(stubTarget(), "latch-dev", "wrong", form).jsonPath().getString("error"));
        same("an unsupported grant", t -> token(t, "latch-dev", "latch-dev-secret", Map.of("grant_type", "password")));
        assertEquals(
                token(REAL, "latch-dev", "latch-dev-secret", Map.of("grant_type", "password"))
                        .jsonPath()
                        .getString("error"),
                token(stubTarget(), "latch-dev", "latch-dev-secret", Map.of("grant_type", "password"))
                        .jsonPath()
                        .getString("error"));
    }

    @Test
    void patIntrospectionHasTheServicesShape() {
        String username = Api.uniqueName("stub");
        Map<String, Object> user = Api.signUp(username);
        String access = Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        String realPat = given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "contract", "scopes", List.of("attachments:read")))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        // the first user of a fresh test database is the ADMIN
        String stubPat = AuthServerStub.pat(
                String.valueOf(user.get("id")), username, String.valueOf(user.get("role")), "attachments:read");

        Response real = introspect(REAL, realPat);
        Response stubbed = introspect(stubTarget(), stubPat);
        same("introspection of a PAT", real, stubbed);
        for (String field : List.of("active", "sub", "username", "role", "status", "scope")) {
            assertEquals(
                    real.jsonPath().getString(field), stubbed.jsonPath().getString(field), "introspection: " + field);
        }

        String unknown = dev.latch.common.security.PersonalAccessTokens.generate();
        same("introspection of an unknown PAT", t -> introspect(t, unknown));
        assertFalse(introspect(stubTarget(), unknown).jsonPath().getBoolean("active"));
        same(
                "introspection without client authentication",
                t -> given().contentType(ContentType.URLENC)
                        .formParam("token", unknown)
                        .post(t.url("/oauth2/introspect")));
    }

    private static Response introspect(Target t, String token) {
        return given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .contentType(ContentType.URLENC)
                .formParam("token", token)
                .post(t.url("/oauth2/introspect"));
    }

    @Test
    void federatedSessionRefreshSignoutAndMeHaveTheServicesShape() {
        String subject = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of(
                "provider",
                "github",
                "subject",
                subject,
                "email",
                subject + "@example.com",
                "emailVerified",
                false,
                "displayName",
                "Contract Test");
        Function<Target, Response> federated = t -> given().auth()
                .oauth2(accessToken(t, "latch-idp", "latch-idp-secret", "sessions:issue"))
                .contentType(ContentType.JSON)
                .body(body)
                .post(t.url("/internal/v1/federated-sessions"));
        Response real = federated.apply(REAL);
        Response stubbed = federated.apply(stubTarget());
        same("a federated session", real, stubbed);
        assertEquals(
                real.jsonPath().getBoolean("existingUser"), stubbed.jsonPath().getBoolean("existingUser"));
        assertEquals(real.jsonPath().getInt("expiresIn"), stubbed.jsonPath().getInt("expiresIn"));
        sameToken(
                "a user's access token",
                real.jsonPath().getString("accessToken"),
                stubbed.jsonPath().getString("accessToken"));

        same(
                "a federated session without sessions:issue",
                t -> given().auth()
                        .oauth2(accessToken(t, "latch-dev", "latch-dev-secret", "tokens:introspect"))
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post(t.url("/internal/v1/federated-sessions")));
        same(
                "a federated session without a token",
                t -> given().contentType(ContentType.JSON).body(body).post(t.url("/internal/v1/federated-sessions")));

        Response realRefresh = given().cookie("latch_refresh", real.jsonPath().getString("refreshToken"))
                .post("/v1/auth/refresh");
        Response stubRefresh = given().cookie(
                        "latch_refresh", stubbed.jsonPath().getString("refreshToken"))
                .post(stubUrl + "/v1/auth/refresh");
        same("a refresh", realRefresh, stubRefresh);
        assertEquals(
                cookieAttributes(realRefresh, "latch_refresh"),
                cookieAttributes(stubRefresh, "latch_refresh"),
                "the rotated latch_refresh cookie's attributes");
        sameToken(
                "a refreshed access token",
                realRefresh.jsonPath().getString("accessToken"),
                stubRefresh.jsonPath().getString("accessToken"));
        same(
                "a refresh with an unknown token",
                t -> given().cookie("latch_refresh", "unknown").post(t.url("/v1/auth/refresh")));

        same(
                "GET /v1/users/me",
                given().auth()
                        .oauth2(realRefresh.jsonPath().getString("accessToken"))
                        .get("/v1/users/me"),
                given().auth()
                        .oauth2(stubRefresh.jsonPath().getString("accessToken"))
                        .get(stubUrl + "/v1/users/me"));
        same("GET /v1/users/me without a token", t -> given().get(t.url("/v1/users/me")));

        Response realOut = given().cookie("latch_refresh", cookieValue(realRefresh, "latch_refresh"))
                .post("/v1/auth/signout");
        Response stubOut = given().cookie("latch_refresh", cookieValue(stubRefresh, "latch_refresh"))
                .post(stubUrl + "/v1/auth/signout");
        same("a sign-out", realOut, stubOut);
        assertEquals(
                cookieAttributes(realOut, "latch_refresh"),
                cookieAttributes(stubOut, "latch_refresh"),
                "the cleared latch_refresh cookie's attributes");
    }
}
