package dev.latch.auth.pat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PAT scopes are enforced: a PAT never manages tokens or sessions, and ADMIN endpoints need the admin scope. */
@QuarkusTest
class PatScopeTest {

    private static String pat(String access, List<String> scopes) {
        return given().auth()
                .oauth2(access)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "scoped", "scopes", scopes))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    @Test
    void aPatNeverManagesTokensOrSessions() {
        String access = Api.newUserToken();
        for (List<String> scopes : List.of(List.of("attachments:read"), List.<String>of())) {
            String pat = pat(access, scopes);
            given().auth().oauth2(pat).get("/v1/users/me").then().statusCode(200);
            given().auth()
                    .oauth2(pat)
                    .contentType(ContentType.JSON)
                    .body(Map.of("name", "child"))
                    .post("/v1/users/me/tokens")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(pat).get("/v1/users/me/tokens").then().statusCode(403);
            given().auth()
                    .oauth2(pat)
                    .get("/v1/users/me/sessions")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().auth()
                    .oauth2(pat)
                    .delete("/v1/users/me/sessions/00000000-0000-0000-0000-000000000000")
                    .then()
                    .statusCode(403);
        }
    }

    @Test
    void adminEndpointsNeedTheAdminScopeEvenForAnAdminsPat() {
        String admin = Api.newAdminToken();
        String readOnly = pat(admin, List.of("attachments:read"));
        given().auth()
                .oauth2(readOnly)
                .get("/v1/audit-events")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("insufficient_scope"));
        given().auth().oauth2(readOnly).get("/v1/auth/keys").then().statusCode(403);
        given().auth().oauth2(readOnly).post("/v1/auth/keys/rotate").then().statusCode(403);

        given().auth()
                .oauth2(pat(admin, List.of("admin")))
                .get("/v1/audit-events")
                .then()
                .statusCode(200);
        // no scopes: the owner's rights (except token and session management)
        given().auth()
                .oauth2(pat(admin, List.of()))
                .get("/v1/audit-events")
                .then()
                .statusCode(200);
    }

    @Test
    void scopesComeFromTheVocabulary() {
        String user = Api.newUserToken();
        given().auth()
                .oauth2(user)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x", "scopes", List.of("repo")))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(user)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "x", "scopes", List.of("admin")))
                .post("/v1/users/me/tokens")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        String profileOnly = pat(user, List.of("profile:read"));
        given().auth().oauth2(profileOnly).get("/v1/users/me").then().statusCode(200);
    }
}
