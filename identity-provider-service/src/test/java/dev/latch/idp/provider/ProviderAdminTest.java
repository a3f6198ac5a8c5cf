package dev.latch.idp.provider;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.TestDatabase;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProviderAdminTest {

    private static final String SECRET = "top-secret-client-value-4711";

    @Test
    void crudNeverRevealsTheSecretInAnswersOrLogs() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(
                        String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            String admin = Flows.adminToken();
            String id = Flows.uniqueId("gl");
            Map<String, Object> body = new HashMap<>();
            body.put("id", id);
            body.put("kind", "gitlab");
            body.put("clientId", "gl-client");
            body.put("clientSecret", SECRET);
            body.put("baseUrl", "https://gitlab.example.com");
            String created = given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/v1/identity-providers/admin")
                    .then()
                    .statusCode(201)
                    .body("clientSecretSet", equalTo(true))
                    .body("title", equalTo("GitLab"))
                    .body("scopes", hasItem("openid"))
                    .body("pkce", equalTo(true))
                    .body("enabled", equalTo(true))
                    .body("fieldMapping.identifier", equalTo("sub"))
                    .extract()
                    .asString();
            assertFalse(created.contains(SECRET));
            assertFalse(created.contains("clientSecret\""), created);

            String listed = given().auth()
                    .oauth2(admin)
                    .get("/v1/identity-providers/admin")
                    .then()
                    .statusCode(200)
                    .body("items.id", hasItem(id))
                    .extract()
                    .asString();
            String one = given().auth()
                    .oauth2(admin)
                    .get("/v1/identity-providers/admin/" + id)
                    .then()
                    .statusCode(200)
                    .body("clientSecretSet", equalTo(true))
                    .extract()
                    .asString();
            String updated = given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("title", "Our GitLab", "scopes", List.of("openid", "email")))
                    .put("/v1/identity-providers/admin/" + id)
                    .then()
                    .statusCode(200)
                    .body("title", equalTo("Our GitLab"))
                    .body("clientSecretSet", equalTo(true))
                    .extract()
                    .asString();
            for (String answer : List.of(listed, one, updated)) {
                assertFalse(answer.contains(SECRET), answer);
            }
            byte[] stored = (byte[]) TestDatabase.single(
                    "latch_idp_test", "SELECT client_secret_enc FROM identity_providers WHERE id = ?", id);
            assertFalse(
                    new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1).contains(SECRET),
                    "encrypted at rest");

            given().get("/v1/identity-providers")
                    .then()
                    .statusCode(200)
                    .body("items.find { it.id == '" + id + "' }.title", equalTo("Our GitLab"))
                    .body(
                            "items.find { it.id == '" + id + "' }.startUrl",
                            containsString("/v1/auth/oauth/" + id + "/start"))
                    .body("nextPageToken", equalTo(null));

            given().auth()
                    .oauth2(admin)
                    .delete("/v1/identity-providers/admin/" + id)
                    .then()
                    .statusCode(204);
            given().auth()
                    .oauth2(admin)
                    .get("/v1/identity-providers/admin/" + id)
                    .then()
                    .statusCode(404);
            given().auth()
                    .oauth2(admin)
                    .delete("/v1/identity-providers/admin/" + id)
                    .then()
                    .statusCode(404);
        } finally {
            root.removeHandler(capture);
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains(SECRET)), "no log line holds the secret");
        // the packaged application of the *IT run logs to target/quarkus.log
        java.nio.file.Path appLog = java.nio.file.Path.of("target", "quarkus.log");
        if (java.nio.file.Files.exists(appLog)) {
            try {
                assertFalse(
                        java.nio.file.Files.readString(appLog).contains(SECRET),
                        "no line of " + appLog + " holds the secret");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void validationAndPermissions() {
        String admin = Flows.adminToken();
        String id = Flows.uniqueId("v");
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "kind", "nope"))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("id", "Bad Id", "kind", "github"))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "kind", "oidc"))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(400)
                .body("detail", containsString("issuer"));
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "id",
                        id,
                        "kind",
                        "oauth2",
                        "authorizationUrl",
                        "https://a.example/auth",
                        "tokenUrl",
                        "https://a.example/token",
                        "userInfoUrl",
                        "https://a.example/me",
                        "fieldMapping",
                        Map.of("identifier", "user.id")))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(201);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("id", id, "kind", "github"))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(409);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("id", Flows.uniqueId("js"), "kind", "github", "authorizationUrl", "javascript:alert(1)"))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("{\"id\":")
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("title", "x"))
                .put("/v1/identity-providers/admin/missing")
                .then()
                .statusCode(404);

        given().auth()
                .oauth2(AuthServerStub.userToken("plain-user", "USER"))
                .get("/v1/identity-providers/admin")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().get("/v1/identity-providers/admin")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        given().auth()
                .oauth2("garbage")
                .get("/v1/identity-providers/admin")
                .then()
                .statusCode(401);
        String pat = AuthServerStub.pat(java.util.UUID.randomUUID().toString(), "pat-admin", "ADMIN", "");
        given().auth().oauth2(pat).get("/v1/identity-providers/admin").then().statusCode(200);
        given().get("/v1/identity-providers").then().statusCode(200).body("items.id", not(hasItem(id + "-x")));

        // an ADMIN's PAT with scopes needs the admin scope here
        String adminId = java.util.UUID.randomUUID().toString();
        String readOnly = AuthServerStub.pat(adminId, "pat-admin", "ADMIN", "attachments:read");
        given().auth()
                .oauth2(readOnly)
                .get("/v1/identity-providers/admin")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(readOnly)
                .delete("/v1/identity-providers/admin/" + id)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(AuthServerStub.pat(adminId, "pat-admin", "ADMIN", "admin"))
                .get("/v1/identity-providers/admin")
                .then()
                .statusCode(200);
    }

    @Test
    void eachRefusedFieldOfTheBodyIsNamed() {
        Map<String, Object> body = new HashMap<>();
        body.put("id", "Bad Id");
        body.put("kind", "nope");
        body.put("title", "   ");
        body.put("tenant", "not a tenant");
        body.put("scopes", List.of("openid", "two words"));
        body.put("fieldMapping", Map.of("bogus", "sub", "email", "not a path"));
        body.put("allowedEmailDomains", List.of("example.com", "@example.com"));
        given().auth()
                .oauth2(Flows.adminToken())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "errors.field",
                        org.hamcrest.Matchers.contains(
                                "allowedEmailDomains[1]",
                                "fieldMapping[bogus]",
                                "fieldMapping[email]",
                                "id",
                                "kind",
                                "scopes[1]",
                                "tenant",
                                "title"))
                .body("errors.message", hasItem("title must be 1 to 200 characters."));
        // an update checks the same rules, without asking for an id or kind again
        String id = Flows.createOidcProvider(Map.of());
        given().auth()
                .oauth2(Flows.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("title", "Renamed", "allowedEmailDomains", List.of(" Example.COM ", "example.com")))
                .put("/v1/identity-providers/admin/" + id)
                .then()
                .statusCode(200)
                .body("title", equalTo("Renamed"))
                .body("allowedEmailDomains", equalTo(List.of("example.com")));
        given().auth()
                .oauth2(Flows.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of("scopes", List.of("")))
                .put("/v1/identity-providers/admin/" + id)
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("scopes[0]"));
    }
}
