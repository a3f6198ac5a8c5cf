package dev.latch.auth;

import static io.restassured.RestAssured.given;

import dev.latch.common.testing.SecretLedger;
import dev.latch.common.testing.TestDatabase;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** Small helpers the auth-service tests share: users, sign-in, client tokens. */
public final class Api {

    public static final String PASSWORD = "correct horse battery";
    public static final String DATABASE = "latch_auth_test";

    private Api() {}

    public static String uniqueName(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    }

    public static Map<String, Object> signUp(String username) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD))
                .post("/v1/auth/signup")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("");
    }

    public static Response signIn(String username, String password) {
        SecretLedger.record("password", password);
        Response r = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/v1/auth/signin");
        SecretLedger.record("refresh token", r.getCookie("latch_refresh"));
        return r;
    }

    /** A new user, signed in: its access token. */
    public static String newUserToken() {
        return userToken(uniqueName("user"));
    }

    public static String userToken(String username) {
        signUp(username);
        return signIn(username, PASSWORD).then().statusCode(200).extract().path("accessToken");
    }

    /** A new ADMIN (promoted directly, since the first user of the test database may be anyone). */
    public static String newAdminToken() {
        return adminToken(uniqueName("admin"));
    }

    /** A new ADMIN of this name, signed in: its access token. */
    public static String adminToken(String username) {
        signUp(username);
        sql("UPDATE users SET role = 'ADMIN' WHERE username = ?", username);
        return signIn(username, PASSWORD).then().statusCode(200).extract().path("accessToken");
    }

    /** A personal access token with these scopes, created with the owner's access token. */
    public static String pat(String access, List<String> scopes) {
        return given().contentType(ContentType.JSON)
                .auth()
                .oauth2(access)
                .body(Map.of("name", "test", "scopes", scopes))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    public static void setStatus(String username, String status) {
        sql("UPDATE users SET status = ? WHERE username = ?", status, username);
    }

    /** Direct SQL on the test database (works in integration tests too). */
    public static int sql(String sql, Object... params) {
        return TestDatabase.update(DATABASE, sql, params);
    }

    public static Object single(String sql, Object... params) {
        return TestDatabase.single(DATABASE, sql, params);
    }

    public static long count(String sql, Object... params) {
        return TestDatabase.count(DATABASE, sql, params);
    }

    public static String clientToken(String clientId, String secret, String scope) {
        var spec = given().auth().preemptive().basic(clientId, secret).formParam("grant_type", "client_credentials");
        if (scope != null) {
            spec.formParam("scope", scope);
        }
        SecretLedger.record("client secret", secret);
        return spec.post("/oauth2/token").then().statusCode(200).extract().path("access_token");
    }
}
