package dev.latch.auth.oauth2.userinfo;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.auth.Api;
import dev.latch.auth.oauth2.CodeFlow;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OIDC UserInfo: the claims of an access token's user by its scopes; RFC 6750 errors otherwise. */
@QuarkusTest
class UserInfoTest {

    private static final String USERINFO = "/oauth2/userinfo";

    /** A fresh user's tokens from the code flow with latch-dev-web for {@code scope}. */
    private static JsonPath tokens(String username, String scope) {
        CodeFlow browser = new CodeFlow();
        CodeFlow.Request request = CodeFlow.Request.of(CodeFlow.WEB, CodeFlow.WEB_REDIRECT, scope);
        return browser.tokens(request, username, CodeFlow.WEB_SECRET);
    }

    @Test
    void userInfoAnswersTheClaimsOfTheGrantedScopes() {
        String username = CodeFlow.newUser(Api.uniqueName("ui") + "@example.com", "Ada Lovelace");
        JsonPath all = tokens(username, "openid profile email");
        String userId = (String) Api.single("SELECT id::text FROM users WHERE username = ?", username);
        String email = (String) Api.single("SELECT email FROM users WHERE username = ?", username);

        given().auth()
                .oauth2(all.getString("access_token"))
                .get(USERINFO)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .header("Cache-Control", containsString("no-store"))
                .body("sub", equalTo(userId))
                .body("preferred_username", equalTo(username))
                .body("name", equalTo("Ada Lovelace"))
                .body("email", equalTo(email))
                .body("email_verified", equalTo(false));

        JsonPath onlyOpenid = tokens(username, "openid");
        Map<String, Object> claims = given().auth()
                .oauth2(onlyOpenid.getString("access_token"))
                .get(USERINFO)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("");
        assertEquals(Map.of("sub", userId), claims, "openid alone gives the subject and nothing else");

        JsonPath profile = tokens(username, "openid profile");
        given().auth()
                .oauth2(profile.getString("access_token"))
                .get(USERINFO)
                .then()
                .statusCode(200)
                .body("preferred_username", equalTo(username))
                .body("$", not(hasKey("email")));
    }

    @Test
    void postTakesTheTokenInTheHeaderOrInTheForm() {
        String username = CodeFlow.newUser(null, null);
        String access = tokens(username, "openid profile").getString("access_token");

        given().auth()
                .oauth2(access)
                .post(USERINFO)
                .then()
                .statusCode(200)
                .body("preferred_username", equalTo(username))
                .body("name", equalTo(username));
        given().contentType(ContentType.URLENC)
                .formParam("access_token", access)
                .post(USERINFO)
                .then()
                .statusCode(200)
                .body("preferred_username", equalTo(username));
        given().auth()
                .oauth2(access)
                .contentType(ContentType.URLENC)
                .formParam("access_token", access)
                .post(USERINFO)
                .then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void aTokenWithoutOpenidIsRefusedAsInsufficientScope() {
        String username = CodeFlow.newUser(null, null);
        String access = tokens(username, "profile").getString("access_token");

        given().auth()
                .oauth2(access)
                .get(USERINFO)
                .then()
                .statusCode(403)
                .header("WWW-Authenticate", equalTo("Bearer error=\"insufficient_scope\""))
                .body("error", equalTo("insufficient_scope"))
                .body("status", equalTo(403));
        // the first-party API's own sign-in token has no scope at all
        given().auth()
                .oauth2(Api.userToken(Api.uniqueName("ui")))
                .get(USERINFO)
                .then()
                .statusCode(403)
                .header("WWW-Authenticate", equalTo("Bearer error=\"insufficient_scope\""));
    }

    @Test
    void aMissingForgedOrForeignTokenIsRefusedAsInvalidToken() {
        String username = CodeFlow.newUser(null, null);
        String access = tokens(username, "openid profile").getString("access_token");
        String[] parts = access.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        for (String bad : new String[] {forged, "not-a-jwt", access + "x"}) {
            given().auth()
                    .oauth2(bad)
                    .get(USERINFO)
                    .then()
                    .statusCode(401)
                    .header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""))
                    .body("error", equalTo("invalid_token"))
                    .body("status", equalTo(401));
        }
        given().get(USERINFO)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""));
        given().post(USERINFO)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""));
        // a client's own token (client_credentials) has no user behind it
        String clientToken = Api.clientToken("latch-dev", "latch-dev-secret", "openid");
        given().auth()
                .oauth2(clientToken)
                .get(USERINFO)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""));
        // a PAT is not an access token of this endpoint
        String pat = Api.pat(Api.userToken(Api.uniqueName("ui")), java.util.List.of("profile:read"));
        given().auth()
                .oauth2(pat)
                .get(USERINFO)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""));
    }

    @Test
    void aDisabledUsersTokenNoLongerAnswers() {
        String username = CodeFlow.newUser(null, null);
        String access = tokens(username, "openid").getString("access_token");
        given().auth().oauth2(access).get(USERINFO).then().statusCode(200);

        Api.setStatus(username, "DISABLED");

        given().auth()
                .oauth2(access)
                .get(USERINFO)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""));
    }
}
