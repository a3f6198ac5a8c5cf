package dev.latch.example;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example resource server, configured exactly as the README says, against the real auth-service
 * (a separate process, see {@link AuthServiceProcess}): every token here comes from auth-service's API,
 * or is derived from one and signed with auth-service's own key or a foreign one.
 */
@QuarkusTest
@QuarkusTestResource(value = AuthServiceProcess.class, restrictToAnnotatedClass = true)
class ResourceServerTest {

    private static final String PASSWORD = "correct horse battery";

    private RequestSpecification auth;

    @BeforeEach
    void authService() {
        URI url = URI.create(ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class));
        auth = new RequestSpecBuilder()
                .setBaseUri("http://" + url.getHost())
                .setPort(url.getPort())
                .build();
    }

    @Test
    void aUsersAccessTokenIsAcceptedAndAnswersTheUsername() {
        String username = uniqueName("alice");
        String token = accessToken(username);
        given().auth().oauth2(token).get("/hello").then().statusCode(200).body(equalTo(username));
    }

    @Test
    void noTokenOrAGarbageTokenIs401() {
        given().get("/hello").then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/hello").then().statusCode(401);
        given().auth().oauth2("a.b.c").get("/hello").then().statusCode(401);
    }

    @Test
    void aClientCredentialsTokenIsNotAUser() {
        String token = given(auth)
                .auth()
                .preemptive()
                .basic(AuthServiceProcess.REPORTS_CLIENT, AuthServiceProcess.REPORTS_SECRET)
                .contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
        // a valid Latch access token, signed like a user's, but of a client: no role
        Map<String, Object> claims = payload(token);
        assertEquals(AuthServiceProcess.REPORTS_CLIENT, claims.get("client_id"));
        assertTrue(!claims.containsKey("role") && !claims.containsKey("username"), claims.toString());
        assertEquals("at+jwt", header(token).get("typ"));
        given().auth().oauth2(token).get("/hello").then().statusCode(403);
    }

    @Test
    void aReSignedCopyOfARealTokenIsAcceptedSoTheRefusalsBelowAreAboutTheirOneChange() throws Exception {
        String username = uniqueName("control");
        String copy = resign(accessToken(username), claims -> {}, "at+jwt", signingKey());
        given().auth().oauth2(copy).get("/hello").then().statusCode(200).body(equalTo(username));
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        String token = accessToken(uniqueName("expired"));
        String expired = resign(
                token,
                claims -> {
                    long now = Instant.now().getEpochSecond();
                    claims.setIssuedAt(NumericDate.fromSeconds(now - 1000));
                    claims.setNotBefore(NumericDate.fromSeconds(now - 1000));
                    claims.setExpirationTime(NumericDate.fromSeconds(now - 100));
                },
                "at+jwt",
                signingKey());
        given().auth().oauth2(expired).get("/hello").then().statusCode(401);
    }

    @Test
    void anotherIssuerOrAudienceIs401() throws Exception {
        String token = accessToken(uniqueName("foreign"));
        given().auth()
                .oauth2(resign(token, c -> c.setIssuer("https://evil.example.com"), "at+jwt", signingKey()))
                .get("/hello")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(resign(token, c -> c.setAudience("other-service"), "at+jwt", signingKey()))
                .get("/hello")
                .then()
                .statusCode(401);
    }

    @Test
    void aJwtThatIsNotAnAccessTokenIs401() throws Exception {
        String token = accessToken(uniqueName("typ"));
        given().auth()
                .oauth2(resign(token, c -> {}, "JWT", signingKey()))
                .get("/hello")
                .then()
                .statusCode(401);
    }

    @Test
    void aTamperedPayloadIs401() {
        String token = accessToken(uniqueName("tamper"));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"role\":\"USER\""), payload);
        String forged = payload.replace("\"role\":\"USER\"", "\"role\":\"ADMIN\"");
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        given().auth().oauth2(tampered).get("/hello").then().statusCode(401);
    }

    @Test
    void aTokenSignedByAForeignKeyWithTheSameKidIs401() throws Exception {
        String token = accessToken(uniqueName("kid"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String foreign =
                resign(token, c -> {}, "at+jwt", generator.generateKeyPair().getPrivate());
        assertEquals(header(token).get("kid"), header(foreign).get("kid"));
        given().auth().oauth2(foreign).get("/hello").then().statusCode(401);
    }

    @Test
    void aRefreshTokenIsNotABearerToken() {
        Response signIn = signIn(signUp(uniqueName("refresh")));
        String refresh = signIn.getCookie("latch_refresh");
        assertNotNull(refresh, "sign-in sets the refresh cookie");
        given().auth().oauth2(refresh).get("/hello").then().statusCode(401);
    }

    @Test
    void aPatWithTheScopeIsAcceptedAndARevokedOneStopsWithinTheCacheBound() {
        String username = uniqueName("pat");
        String access = accessToken(username);
        Map<String, Object> pat = createPat(access, List.of("attachments:read"));
        String token = (String) pat.get("token");
        assertTrue(token.startsWith("latch_pat_"), token);

        given().auth().oauth2(token).get("/hello").then().statusCode(200).body(equalTo(username));
        given().auth()
                .oauth2(token)
                .get("/attachments")
                .then()
                .statusCode(200)
                .body(equalTo("attachments of " + username));

        given(auth)
                .auth()
                .oauth2(access)
                .delete("/v1/users/me/tokens/" + pat.get("id"))
                .then()
                .statusCode(204);
        // introspection answers are cached for at most time-to-live + clean-up-timer-interval = 30 s
        Instant revoked = Instant.now();
        Awaitility.await()
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> given().auth().oauth2(token).get("/hello").statusCode() == 401);
        assertTrue(Duration.between(revoked, Instant.now()).toSeconds() <= 32, "within the cache bound");
        given().auth().oauth2(token).get("/attachments").then().statusCode(401);
    }

    @Test
    void aPatWithoutTheScopeIs403OnTheScopedEndpoint() {
        String username = uniqueName("scope");
        String access = accessToken(username);
        String token = (String) createPat(access, List.of("profile:read")).get("token");
        given().auth().oauth2(token).get("/hello").then().statusCode(200).body(equalTo(username));
        given().auth().oauth2(token).get("/attachments").then().statusCode(403);
        // a sign-in access token carries no scope either
        given().auth().oauth2(access).get("/attachments").then().statusCode(403);
    }

    @Test
    void aPatWithoutScopesHasItsOwnersRoleButNoScope() {
        String username = uniqueName("unscoped");
        String token = (String) createPat(accessToken(username), List.of()).get("token");
        given().auth().oauth2(token).get("/hello").then().statusCode(200).body(equalTo(username));
        given().auth().oauth2(token).get("/attachments").then().statusCode(403);
    }

    @Test
    void anUnknownPatIs401() {
        given().auth()
                .oauth2("latch_pat_" + "0".repeat(38))
                .get("/hello")
                .then()
                .statusCode(401);
    }

    // --- auth-service's API ---

    private String accessToken(String username) {
        return signIn(signUp(username)).then().statusCode(200).extract().path("accessToken");
    }

    private String signUp(String username) {
        given(auth)
                .contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD))
                .post("/v1/auth/signup")
                .then()
                .statusCode(201)
                .body("role", equalTo("USER"));
        return username;
    }

    private Response signIn(String username) {
        return given(auth)
                .contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD))
                .post("/v1/auth/signin");
    }

    private Map<String, Object> createPat(String accessToken, List<String> scopes) {
        return given(auth)
                .auth()
                .oauth2(accessToken)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "example", "scopes", scopes))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("");
    }

    private static String uniqueName(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    // --- tokens derived from real ones ---

    /** auth-service's signing key: the file the test mounted as its key directory. */
    private static PrivateKey signingKey() throws Exception {
        String pem = Files.readString(AuthServiceProcess.KEYS.resolve("example.pem"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    /** The token's claims, changed by {@code change}, signed again under the token's kid with {@code typ} and {@code key}. */
    private static String resign(String token, ClaimsChange change, String typ, PrivateKey key) throws Exception {
        JwtClaims claims = JwtClaims.parse(
                new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        change.accept(claims);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue((String) header(token).get("kid"));
        jws.setHeader("typ", typ);
        jws.setKey(key);
        return jws.getCompactSerialization();
    }

    private static Map<String, Object> header(String token) {
        return part(token, 0);
    }

    private static Map<String, Object> payload(String token) {
        return part(token, 1);
    }

    private static Map<String, Object> part(String token, int index) {
        try {
            return JwtClaims.parse(new String(
                            Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8))
                    .getClaimsMap();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface ClaimsChange {
        void accept(JwtClaims claims) throws Exception;
    }
}
