package dev.latch.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.latch.common.testing.AuthServerStub;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Bearer tokens and PATs from auth-service; problem+json on every refusal. */
@QuarkusTest
class AuthTest {

    @Test
    void requestsWithoutAValidTokenAre401WithAChallenge() {
        for (String path :
                new String[] {"/api/v1/attachments", "/api/v1/attachments/abc", "/api/v1/storage/settings"}) {
            given().get(path)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                    .body("status", equalTo(401));
            given().auth().oauth2("not.a.jwt").get(path).then().statusCode(401).contentType("application/problem+json");
        }
        given().multiPart("file", "a.png", Api.png(), "image/png")
                .post("/api/v1/attachments")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aPatWorksUntilRevokedAndThenStopsWithinTheCacheBound() {
        String userId = UUID.randomUUID().toString();
        String pat = AuthServerStub.pat(userId, "pat-user", "USER", "");
        given().auth()
                .oauth2(pat)
                .multiPart("file", "p.png", Api.png(), "image/png")
                .post("/api/v1/attachments")
                .then()
                .statusCode(201)
                .body("owner", equalTo(userId));
        given().auth().oauth2(pat).get("/api/v1/attachments").then().statusCode(200);

        AuthServerStub.revokePat(pat);
        // the test profile caches introspection for 2 s; production for at most 30 s
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() ->
                        given().auth().oauth2(pat).get("/api/v1/attachments").statusCode() == 401);
        given().auth()
                .oauth2(pat)
                .get("/api/v1/attachments")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    @Test
    void onlyAdminsManageStorage() {
        String user = Api.newUser().token();
        given().auth()
                .oauth2(user)
                .get("/api/v1/storage/settings")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(user)
                .contentType(ContentType.JSON)
                .body(Map.of("delivery", "PROXY"))
                .put("/api/v1/storage/settings")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(user)
                .contentType(ContentType.JSON)
                .body(Map.of("from", "LOCAL", "to", "S3"))
                .post("/api/v1/storage/migrations")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(user).get("/api/v1/storage/migrations/x").then().statusCode(403);

        String adminPat = AuthServerStub.pat(UUID.randomUUID().toString(), "pat-admin", "ADMIN", "");
        given().auth().oauth2(adminPat).get("/api/v1/storage/settings").then().statusCode(200);
    }

    @Test
    void patScopesAreEnforcedOnEveryEndpoint() {
        String userId = UUID.randomUUID().toString();
        String owner = AuthServerStub.userToken(userId, "scoped-owner", "USER");
        String uid = given().auth()
                .oauth2(owner)
                .multiPart("file", "s.png", Api.png(), "image/png")
                .post("/api/v1/attachments")
                .then()
                .statusCode(201)
                .extract()
                .path("uid");

        String readOnly = AuthServerStub.pat(userId, "scoped-owner", "USER", "attachments:read");
        given().auth().oauth2(readOnly).get("/api/v1/attachments").then().statusCode(200);
        given().auth().oauth2(readOnly).get("/api/v1/attachments/" + uid).then().statusCode(200);
        given().auth()
                .oauth2(readOnly)
                .get("/api/v1/attachments/" + uid + "/url")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(readOnly)
                .delete("/api/v1/attachments/" + uid)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("insufficient_scope"));
        given().auth()
                .oauth2(readOnly)
                .multiPart("file", "t.png", Api.png(), "image/png")
                .post("/api/v1/attachments")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(readOnly)
                .contentType(ContentType.JSON)
                .body(Map.of("filename", "d.png", "size", 10))
                .post("/api/v1/attachments/uploads")
                .then()
                .statusCode(403);

        String writeOnly = AuthServerStub.pat(userId, "scoped-owner", "USER", "attachments:write");
        given().auth()
                .oauth2(writeOnly)
                .get("/api/v1/attachments/" + uid)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(writeOnly)
                .delete("/api/v1/attachments/" + uid)
                .then()
                .statusCode(204);
    }

    @Test
    void anAdminsPatNeedsTheAdminScopeForStorageAdministration() {
        String adminId = UUID.randomUUID().toString();
        String readOnly = AuthServerStub.pat(adminId, "scoped-admin", "ADMIN", "attachments:read");
        given().auth()
                .oauth2(readOnly)
                .get("/api/v1/storage/settings")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(readOnly)
                .get("/api/v1/storage/migrations/x")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(AuthServerStub.pat(adminId, "scoped-admin", "ADMIN", "admin"))
                .get("/api/v1/storage/settings")
                .then()
                .statusCode(200);
    }
}
