package dev.latch.auth.session;

import static dev.latch.auth.Api.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthFlowTest {

    @Test
    void firstUserIsAdminAndLaterUsersAreUsers() {
        // this test owns "first user" semantics: start from an empty user table
        Api.sql("TRUNCATE users CASCADE");
        Map<String, Object> first = Api.signUp(Api.uniqueName("first"));
        Map<String, Object> second = Api.signUp(Api.uniqueName("second"));
        assertEquals("ADMIN", first.get("role"));
        assertEquals("USER", second.get("role"));
        assertEquals("ACTIVE", first.get("status"));
        assertTrue(!first.containsKey("password") && !first.containsKey("passwordHash"));
    }

    @Test
    void signUpRefusesTakenAndInvalidInput() {
        String name = Api.uniqueName("taken");
        Api.signUp(name);
        given().contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", PASSWORD))
                .post("/v1/auth/signup")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "A!", "password", PASSWORD))
                .post("/v1/auth/signup")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Bad Request"));
        given().contentType(ContentType.JSON)
                .body(Map.of("username", Api.uniqueName("short"), "password", "1234567"))
                .post("/v1/auth/signup")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"username\": ")
                .post("/v1/auth/signup")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body("{\"username\": 5, \"password\": []}")
                .post("/v1/auth/signup")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("username", Api.uniqueName("mail"), "password", PASSWORD, "email", "not-an-email"))
                .post("/v1/auth/signup")
                .then()
                .statusCode(400);
        given().contentType(ContentType.TEXT)
                .body("hello")
                .post("/v1/auth/signup")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void duplicateEmailIsRefused() {
        String email = Api.uniqueName("m") + "@example.com";
        given().contentType(ContentType.JSON)
                .body(Map.of("username", Api.uniqueName("e1"), "password", PASSWORD, "email", email))
                .post("/v1/auth/signup")
                .then()
                .statusCode(201)
                .body("email", equalTo(email));
        given().contentType(ContentType.JSON)
                .body(Map.of("username", Api.uniqueName("e2"), "password", PASSWORD, "email", email.toUpperCase()))
                .post("/v1/auth/signup")
                .then()
                .statusCode(409);
    }

    @Test
    void signUpNamesEachRefusedFieldAndTakesTheUsernameNormalised() {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "username", "A!", "password", "short", "email", "not-an-email", "displayName", "d".repeat(201)))
                .post("/v1/auth/signup")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("displayName", "email", "password", "username"))
                .body("errors.message", org.hamcrest.Matchers.hasItem("password must be 8 to 1024 characters."))
                .body("detail", containsString("username"));
        String name = Api.uniqueName("norm");
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "  " + name.toUpperCase(java.util.Locale.ROOT) + " ", "password", PASSWORD))
                .post("/v1/auth/signup")
                .then()
                .statusCode(201)
                .body("username", equalTo(name));
    }

    @Test
    void signInAnswersTokenUserAndSecureCookie() {
        String name = Api.uniqueName("signin");
        Api.signUp(name);
        Response r = Api.signIn(name, PASSWORD);
        r.then()
                .statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .body("accessToken", not(emptyOrNullString()))
                .body("user.username", equalTo(name))
                .body("refreshToken", nullValue());
        String setCookie = r.getHeader("Set-Cookie");
        assertTrue(setCookie.startsWith("latch_refresh="), setCookie);
        for (String attribute : new String[] {"HttpOnly", "Secure", "SameSite=Lax", "Path=/v1/auth"}) {
            assertTrue(setCookie.toLowerCase().contains(attribute.toLowerCase()), attribute + " in " + setCookie);
        }
        given().auth()
                .oauth2(r.path("accessToken"))
                .get("/v1/users/me")
                .then()
                .statusCode(200)
                .body("username", equalTo(name));
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSame401() {
        String name = Api.uniqueName("same");
        Api.signUp(name);
        Response wrong = Api.signIn(name, "wrong password!");
        Response unknown = Api.signIn(Api.uniqueName("nobody"), "wrong password!");
        for (Response r : new Response[] {wrong, unknown}) {
            r.then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        assertEquals(wrong.asString(), unknown.asString());
    }

    @Test
    void refreshRotatesByCookieAndByBody() {
        String name = Api.uniqueName("refresh");
        Api.signUp(name);
        String cookie = Api.signIn(name, PASSWORD).getCookie("latch_refresh");

        Response byCookie = given().cookie("latch_refresh", cookie).post("/v1/auth/refresh");
        byCookie.then().statusCode(200).body("accessToken", notNullValue()).body("refreshToken", nullValue());
        String rotated = byCookie.getCookie("latch_refresh");
        assertNotEquals(cookie, rotated);

        Response byBody = given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", rotated))
                .post("/v1/auth/refresh");
        byBody.then().statusCode(200).body("refreshToken", not(emptyOrNullString()));
        // a token from the body never becomes this browser's cookie (login CSRF)
        assertNull(byBody.getCookie("latch_refresh"));

        given().post("/v1/auth/refresh")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", "nonsense"))
                .post("/v1/auth/refresh")
                .then()
                .statusCode(401);
    }

    @Test
    void signOutRevokesTheFamilyAndClearsTheCookie() {
        String name = Api.uniqueName("signout");
        Api.signUp(name);
        String cookie = Api.signIn(name, PASSWORD).getCookie("latch_refresh");
        Response out = given().cookie("latch_refresh", cookie).post("/v1/auth/signout");
        out.then().statusCode(204);
        assertTrue(out.getHeader("Set-Cookie").contains("Max-Age=0"), out.getHeader("Set-Cookie"));
        given().cookie("latch_refresh", cookie).post("/v1/auth/refresh").then().statusCode(401);
        given().post("/v1/auth/signout").then().statusCode(204);
    }

    @Test
    void sessionsAreListedAndRevocable() {
        String name = Api.uniqueName("sessions");
        Api.signUp(name);
        Response first = Api.signIn(name, PASSWORD);
        Api.signIn(name, PASSWORD);
        String token = first.path("accessToken");
        var sessions = given().auth()
                .oauth2(token)
                .get("/v1/users/me/sessions")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("nextPageToken", nullValue())
                .extract()
                .jsonPath();
        String id = sessions.getString("items[0].id");
        given().auth()
                .oauth2(token)
                .delete("/v1/users/me/sessions/" + id)
                .then()
                .statusCode(204);
        given().auth().oauth2(token).get("/v1/users/me/sessions").then().body("items", hasSize(1));
        given().auth()
                .oauth2(token)
                .delete("/v1/users/me/sessions/" + id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(Api.newUserToken())
                .delete("/v1/users/me/sessions/" + sessions.getString("items[1].id"))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(token)
                .delete("/v1/users/me/sessions/not-a-uuid")
                .then()
                .statusCode(404);
    }

    @Test
    void meNeedsAToken() {
        given().get("/v1/users/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .body("status", equalTo(401));
        given().auth()
                .oauth2("garbage")
                .get("/v1/users/me")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"));
    }

    @Test
    void disabledUserCannotSignInOrRefresh() {
        String name = Api.uniqueName("disabled");
        Api.signUp(name);
        String cookie = Api.signIn(name, PASSWORD).getCookie("latch_refresh");
        Api.setStatus(name, "DISABLED");
        Api.signIn(name, PASSWORD).then().statusCode(401);
        given().cookie("latch_refresh", cookie).post("/v1/auth/refresh").then().statusCode(401);
    }

    @Test
    void weakerHashIsUpgradedAtNextSignIn() {
        String name = Api.uniqueName("rehash");
        Api.signUp(name);
        String old = "$argon2id$v=19$m=4096,t=1,p=1$"
                + java.util.Base64.getEncoder().withoutPadding().encodeToString("0123456789abcdef".getBytes()) + "$";
        // a hash with older parameters, as an earlier release would have stored it
        byte[] salt = "0123456789abcdef".getBytes();
        String legacy = old + java.util.Base64.getEncoder().withoutPadding().encodeToString(legacyHash(PASSWORD, salt));
        Api.sql("UPDATE users SET password_hash = ? WHERE username = ?", legacy, name);
        Api.signIn(name, PASSWORD).then().statusCode(200);
        String upgraded = (String) Api.single("SELECT password_hash FROM users WHERE username = ?", name);
        assertNotEquals(legacy, upgraded);
        assertTrue(upgraded.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), upgraded);
        Api.signIn(name, PASSWORD).then().statusCode(200);
    }

    private static byte[] legacyHash(String password, byte[] salt) {
        var params = new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                        org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_id)
                .withVersion(org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(4096)
                .withIterations(1)
                .withParallelism(1)
                .build();
        var gen = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[32];
        gen.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
        return out;
    }
}
