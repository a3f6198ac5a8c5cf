package dev.latch.auth.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ADMIN changes users' roles and status through the API: no SQL needed to run Latch. */
@QuarkusTest
class UserAdminTest {

    @Test
    void onlyAnAdminUsesTheUsersApi() {
        Api.newAdminToken(); // the first sign-up of a fresh database would be the ADMIN
        given().get("/v1/users").then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(Api.newUserToken())
                .get("/v1/users")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        String client = Api.clientToken("latch-dev", "latch-dev-secret", null);
        given().auth().oauth2(client).get("/v1/users").then().statusCode(403);
        given().auth()
                .oauth2(Api.newUserToken())
                .contentType(ContentType.JSON)
                .body(Map.of("role", "ADMIN"))
                .patch("/v1/users/" + UUID.randomUUID())
                .then()
                .statusCode(403);
    }

    @Test
    void anAdminFindsAUserDisablesAndReenablesItAndMakesItAdmin() {
        String admin = Api.newAdminToken();
        String username = Api.uniqueName("managed");
        String id = (String) Api.signUp(username).get("id");

        given().auth()
                .oauth2(admin)
                .queryParam("username", username.toUpperCase())
                .get("/v1/users")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].id", equalTo(id))
                .body("items[0].role", equalTo("USER"));
        given().auth()
                .oauth2(admin)
                .get("/v1/users/" + id)
                .then()
                .statusCode(200)
                .body("username", equalTo(username));
        given().auth()
                .oauth2(admin)
                .queryParam("pageSize", 1)
                .get("/v1/users")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .body("nextPageToken", org.hamcrest.Matchers.notNullValue());

        patch(admin, id, Map.of("status", "DISABLED"))
                .then()
                .statusCode(200)
                .body("status", equalTo("DISABLED"))
                .body("role", equalTo("USER"));
        Api.signIn(username, Api.PASSWORD).then().statusCode(401);

        patch(admin, id, Map.of("status", "ACTIVE", "role", "ADMIN"))
                .then()
                .statusCode(200)
                .body("status", equalTo("ACTIVE"))
                .body("role", equalTo("ADMIN"));
        String promoted = Api.signIn(username, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        given().auth().oauth2(promoted).get("/v1/users/" + id).then().statusCode(200);

        given().auth()
                .oauth2(admin)
                .queryParam("type", "auth.user.updated")
                .get("/v1/audit-events")
                .then()
                .statusCode(200)
                .body("items.metadata.user_id", hasItem(id))
                .body(
                        "items.find { it.metadata.user_id == '" + id
                                + "' && it.metadata.role == 'ADMIN' }.metadata.status",
                        equalTo("ACTIVE"));
    }

    @Test
    void badChangesAre4xxProblems() {
        String admin = Api.newAdminToken();
        String id = (String) Api.signUp(Api.uniqueName("target")).get("id");
        for (Map<String, Object> body :
                new Map[] {Map.of(), Map.of("role", "ROOT"), Map.of("status", "BANNED"), Map.of("role", "admin")}) {
            patch(admin, id, body).then().statusCode(400).contentType("application/problem+json");
        }
        patch(admin, id, Map.of("role", "ROOT", "status", "BANNED"))
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("role", "status"))
                .body("errors.message", hasItem("role must be ADMIN or USER."));
        patch(admin, UUID.randomUUID().toString(), Map.of("role", "USER"))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        patch(admin, "not-a-uuid", Map.of("role", "USER")).then().statusCode(404);
        given().auth()
                .oauth2(admin)
                .get("/v1/users/" + UUID.randomUUID())
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("{\"role\":")
                .patch("/v1/users/" + id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void theLastActiveAdminCannotBeDemotedOrDisabled() {
        String adminName = Api.uniqueName("last-admin");
        Api.signUp(adminName);
        Api.sql("UPDATE users SET role = 'ADMIN' WHERE username = ?", adminName);
        String admin = Api.signIn(adminName, Api.PASSWORD)
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        // the throwaway ADMINs of other tests step down, so this one is the last
        Api.sql("UPDATE users SET role = 'USER' WHERE role = 'ADMIN' AND username <> ?", adminName);
        String id = Api.single("SELECT id::text FROM users WHERE username = ?", adminName)
                .toString();

        for (Map<String, Object> body : new Map[] {Map.of("role", "USER"), Map.of("status", "DISABLED")}) {
            patch(admin, id, body)
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("last active ADMIN"));
        }
        assertEquals("ADMIN", Api.single("SELECT role FROM users WHERE username = ?", adminName));

        // with a second ADMIN, the first may step down
        String other = (String) Api.signUp(Api.uniqueName("second-admin")).get("id");
        patch(admin, other, Map.of("role", "ADMIN")).then().statusCode(200);
        patch(admin, id, Map.of("role", "USER")).then().statusCode(200).body("role", equalTo("USER"));
        // its access token still says ADMIN, but the demotion counts at once
        given().auth().oauth2(admin).get("/v1/users/" + id).then().statusCode(403);
    }

    private static io.restassured.response.Response patch(String token, String id, Map<String, Object> body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .patch("/v1/users/" + id);
    }
}
