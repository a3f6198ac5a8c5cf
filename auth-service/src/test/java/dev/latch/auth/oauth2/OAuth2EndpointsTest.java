package dev.latch.auth.oauth2;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OAuth2EndpointsTest {

    @Test
    void clientCredentialsWithBasicAndPost() throws Exception {
        String token = given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(900))
                .body("scope", equalTo("openid tokens:introspect"))
                .extract()
                .path("access_token");
        var claims = SignedJWT.parse(token).getJWTClaimsSet();
        org.junit.jupiter.api.Assertions.assertEquals("latch-dev", claims.getSubject());
        org.junit.jupiter.api.Assertions.assertEquals("latch-dev", claims.getStringClaim("client_id"));

        given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "latch-idp")
                .formParam("client_secret", "latch-idp-secret")
                .formParam("scope", "sessions:issue")
                .post("/oauth2/token")
                .then()
                .statusCode(200)
                .body("scope", equalTo("sessions:issue"));
        given().auth()
                .preemptive()
                .basic("hashed", "secret")
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then()
                .statusCode(200);
    }

    @Test
    void tokenEndpointErrorsFollowRfc6749() {
        given().auth()
                .preemptive()
                .basic("latch-dev", "wrong")
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", notNullValue());
        given().formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"));
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("grant_type", "password")
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("unsupported_grant_type"));
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("grant_type", "client_credentials")
                .formParam("scope", "sessions:issue")
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_scope"));
        given().auth()
                .preemptive()
                .basic("hashed", "secret")
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", "x")
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("unauthorized_client"));
        given().formParam("grant_type", "refresh_token")
                .formParam("refresh_token", "unknown")
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void refreshTokenGrantRotates() {
        String name = Api.uniqueName("oauthrt");
        Api.signUp(name);
        String refresh = Api.signIn(name, Api.PASSWORD).getCookie("latch_refresh");
        String next = given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refresh)
                .post("/oauth2/token")
                .then()
                .statusCode(200)
                .body("access_token", notNullValue())
                .extract()
                .path("refresh_token");
        org.junit.jupiter.api.Assertions.assertNotEquals(refresh, next);
    }

    @Test
    void introspectionCoversAccessAndRefreshTokens() {
        String name = Api.uniqueName("intro");
        Api.signUp(name);
        var signin = Api.signIn(name, Api.PASSWORD);
        String access = signin.path("accessToken");
        String refresh = signin.getCookie("latch_refresh");
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", access)
                .post("/oauth2/introspect")
                .then()
                .statusCode(200)
                .body("active", equalTo(true))
                .body("username", equalTo(name))
                .body("token_type", equalTo("Bearer"))
                .body("exp", notNullValue());
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", refresh)
                .post("/oauth2/introspect")
                .then()
                .statusCode(200)
                .body("active", equalTo(true))
                .body("token_use", equalTo("refresh_token"));
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", "nonsense")
                .post("/oauth2/introspect")
                .then()
                .statusCode(200)
                .body("active", equalTo(false));

        // an ADMIN disables the user on this replica: every token of theirs is inactive at once
        String id = signin.path("user.id");
        given().auth()
                .oauth2(Api.newAdminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("status", "DISABLED"))
                .patch("/v1/users/" + id)
                .then()
                .statusCode(200);
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", access)
                .post("/oauth2/introspect")
                .then()
                .statusCode(200)
                .body("active", equalTo(false));
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", refresh)
                .post("/oauth2/introspect")
                .then()
                .statusCode(200)
                .body("active", equalTo(false));
    }

    @Test
    void repeatedParametersAreRefusedAsInvalidRequest() {
        // RFC 6749 §3.2: a parameter sent twice is refused, whichever copy would have been read
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("grant_type", "client_credentials", "client_credentials")
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("The parameter grant_type is repeated."))
                .body("status", equalTo(400));
        given().formParam("grant_type", "client_credentials")
                .formParam("client_id", "latch-dev")
                .formParam("client_secret", "wrong", "latch-dev-secret")
                .post("/oauth2/token")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
        String access = Api.clientToken("latch-dev", "latch-dev-secret", "openid");
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", access, "nonsense")
                .post("/oauth2/introspect")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", "a", "b")
                .post("/oauth2/revoke")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void aTokenTypeHintOnlyChangesWhichKindIsAskedFirst() {
        String name = Api.uniqueName("hint");
        Api.signUp(name);
        var signin = Api.signIn(name, Api.PASSWORD);
        String access = signin.path("accessToken");
        String refresh = signin.getCookie("latch_refresh");
        String pat = given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "hinted"))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        Map<String, String> kinds =
                Map.of(access, "access_token", refresh, "refresh_token", pat, "personal_access_token");
        for (var token : kinds.entrySet()) {
            for (String hint : new String[] {"access_token", "refresh_token", "personal_access_token", "bogus"}) {
                given().auth()
                        .preemptive()
                        .basic("latch-dev", "latch-dev-secret")
                        .formParam("token", token.getKey())
                        .formParam("token_type_hint", hint)
                        .post("/oauth2/introspect")
                        .then()
                        .statusCode(200)
                        .body("active", equalTo(true))
                        .body("token_use", equalTo(token.getValue()))
                        .body("username", equalTo(name));
            }
        }
    }

    @Test
    void aUserDisabledElsewhereIsInactiveWithinTheStatusCacheBound() {
        String name = Api.uniqueName("elsewhere");
        Api.signUp(name);
        String access = Api.signIn(name, Api.PASSWORD).path("accessToken");
        assertTrue(active(access));

        // another replica (here: the database directly) disables the user; this replica learns it within the TTL (5 s)
        Api.setStatus(name, "DISABLED");
        await().atMost(Duration.ofSeconds(6))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !active(access));
    }

    private static boolean active(String token) {
        return given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", token)
                .post("/oauth2/introspect")
                .then()
                .statusCode(200)
                .extract()
                .<Boolean>path("active");
    }

    @Test
    void introspectionNeedsAnAuthorisedClient() {
        given().formParam("token", "x")
                .post("/oauth2/introspect")
                .then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"));
        given().auth()
                .preemptive()
                .basic("latch-idp", "latch-idp-secret")
                .formParam("token", "x")
                .post("/oauth2/introspect")
                .then()
                .statusCode(403);
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .post("/oauth2/introspect")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void revocationEndsARefreshFamilyOfTheRevokingClientOnly() {
        String name = Api.uniqueName("revoke");
        Api.signUp(name);
        String refresh = Api.signIn(name, Api.PASSWORD).getCookie("latch_refresh");
        // a sign-in session was not issued to latch-dev: RFC 7009 §2.1 refuses, and the session lives on
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", refresh)
                .post("/oauth2/revoke")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
        String next = given().cookie("latch_refresh", refresh)
                .post("/v1/auth/refresh")
                .then()
                .statusCode(200)
                .extract()
                .cookie("latch_refresh");

        Api.sql(
                "UPDATE refresh_families SET client_id = 'latch-dev' WHERE user_id = (SELECT id FROM users WHERE username = ?)",
                name);
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", next)
                .post("/oauth2/revoke")
                .then()
                .statusCode(200);
        org.junit.jupiter.api.Assertions.assertEquals(
                0L,
                Api.count(
                        "SELECT count(*) FROM refresh_families f JOIN users u "
                                + "ON u.id = f.user_id WHERE u.username = ? AND f.revoked_at IS NULL",
                        name));
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", "unknown")
                .post("/oauth2/revoke")
                .then()
                .statusCode(200);
        given().formParam("token", next).post("/oauth2/revoke").then().statusCode(401);
    }

    @Test
    void aPatCannotBeRevokedByAClient() {
        String user = Api.newUserToken();
        String pat = given().auth()
                .oauth2(user)
                .contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("name", "ci"))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("token", pat)
                .post("/oauth2/revoke")
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_grant"));
        given().auth().oauth2(pat).get("/v1/users/me").then().statusCode(200);
    }

    @Test
    void failedClientAuthenticationsAreLimitedPerClientId() {
        String ghost = "ghost-" + java.util.UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            given().auth()
                    .preemptive()
                    .basic(ghost, "guess-" + i)
                    .formParam("grant_type", "client_credentials")
                    .post("/oauth2/token")
                    .then()
                    .statusCode(401)
                    .body("error", equalTo("invalid_client"));
        }
        given().auth()
                .preemptive()
                .basic(ghost, "guess")
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then()
                .statusCode(429)
                .contentType("application/json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("error", equalTo("invalid_client"));
        given().auth()
                .preemptive()
                .basic(ghost, "guess")
                .formParam("token", "x")
                .post("/oauth2/introspect")
                .then()
                .statusCode(429);
        // other clients are not affected
        given().auth()
                .preemptive()
                .basic("latch-dev", "latch-dev-secret")
                .formParam("grant_type", "client_credentials")
                .post("/oauth2/token")
                .then()
                .statusCode(200);
    }
}
