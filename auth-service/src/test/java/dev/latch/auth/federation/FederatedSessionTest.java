package dev.latch.auth.federation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FederatedSessionTest {

    private static String brokerToken() {
        return Api.clientToken("latch-idp", "latch-idp-secret", "sessions:issue");
    }

    private static Map<String, Object> body(String provider, String subject, String email, boolean verified) {
        Map<String, Object> body = new HashMap<>();
        body.put("provider", provider);
        body.put("subject", subject);
        body.put("email", email);
        body.put("emailVerified", verified);
        body.put("displayName", "Ada Lovelace");
        return body;
    }

    @Test
    void linksBySubjectThenVerifiedEmailElseCreates() {
        String token = brokerToken();
        String subject = UUID.randomUUID().toString();
        String email = Api.uniqueName("ada") + "@example.com";

        var created = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body("github", subject, email, true))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(false))
                .body("accessToken", notNullValue())
                .body("refreshToken", notNullValue())
                .body("expiresIn", equalTo(900))
                .extract()
                .jsonPath();
        String userId = created.getString("userId");
        given().cookie("latch_refresh", created.getString("refreshToken"))
                .post("/v1/auth/refresh")
                .then()
                .statusCode(200);

        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body("github", subject, null, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(true))
                .body("userId", equalTo(userId));

        // another provider asserting the same verified email links to the same user
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body("google", "g-" + subject, email, true))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(true))
                .body("userId", equalTo(userId));

        long linked = Api.count(
                "SELECT count(*) FROM audit_events WHERE type = ? AND actor_id = ?",
                "auth.oauth.github.linked",
                userId);
        assertEquals(2, linked);
    }

    @Test
    void concurrentFirstLoginsOfOneIdentityAllGetTheSameNewUser() throws Exception {
        String token = brokerToken();
        String subject = UUID.randomUUID().toString();
        int logins = 16;
        ExecutorService pool = Executors.newFixedThreadPool(logins);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<io.restassured.response.Response>> answers = new ArrayList<>();
            for (int i = 0; i < logins; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return given().auth()
                            .oauth2(token)
                            .contentType(ContentType.JSON)
                            .body(body("gitlab", subject, null, false))
                            .post("/internal/v1/federated-sessions");
                }));
            }
            start.countDown();
            Set<String> users = new HashSet<>();
            int created = 0;
            for (Future<io.restassured.response.Response> answer : answers) {
                io.restassured.response.Response response = answer.get(60, TimeUnit.SECONDS);
                assertEquals(200, response.statusCode(), response.asString());
                users.add(response.path("userId"));
                created += Boolean.FALSE.equals(response.path("existingUser")) ? 1 : 0;
            }
            assertEquals(1, users.size(), "every login got the same user: " + users);
            assertEquals(1, created, "exactly one login created the user");
            assertEquals(
                    1,
                    Api.count(
                            "SELECT count(*) FROM federated_identities WHERE provider = 'gitlab' AND subject = ?",
                            subject));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unverifiedEmailNeverLinksToAnExistingAccount() {
        String victim = Api.uniqueName("victim");
        String email = victim + "@example.com";
        given().contentType(ContentType.JSON)
                .body(Map.of("username", victim, "password", Api.PASSWORD, "email", email))
                .post("/v1/auth/signup")
                .then()
                .statusCode(201);
        String victimId = String.valueOf(Api.single("SELECT id FROM users WHERE username = ?", victim));

        String userId = given().auth()
                .oauth2(brokerToken())
                .contentType(ContentType.JSON)
                .body(body("gitlab", UUID.randomUUID().toString(), email, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(false))
                .extract()
                .path("userId");
        assertNotEquals(victimId, userId);
        assertNull(Api.single("SELECT email FROM users WHERE id = ?", UUID.fromString(userId)));
    }

    @Test
    void localSignUpWithSomeoneElsesEmailIsNeverALinkingKey() {
        // pre-hijacking: mallory registers alice's address first, unverified
        String mallory = Api.uniqueName("mallory");
        String aliceEmail = Api.uniqueName("alice") + "@example.com";
        given().contentType(ContentType.JSON)
                .body(Map.of("username", mallory, "password", Api.PASSWORD, "email", aliceEmail))
                .post("/v1/auth/signup")
                .then()
                .statusCode(201);
        String malloryId = String.valueOf(Api.single("SELECT id FROM users WHERE username = ?", mallory));

        String aliceId = given().auth()
                .oauth2(brokerToken())
                .contentType(ContentType.JSON)
                .body(body("google", "g-" + UUID.randomUUID(), aliceEmail, true))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(false))
                .extract()
                .path("userId");
        assertNotEquals(malloryId, aliceId);
        // mallory's account is left as it was: the link did not mark its email verified
        assertEquals(
                Boolean.FALSE, Api.single("SELECT email_verified FROM users WHERE id = ?", UUID.fromString(malloryId)));
        assertEquals(
                0L,
                Api.count("SELECT count(*) FROM federated_identities WHERE user_id = ?", UUID.fromString(malloryId)));
        assertEquals("USER", Api.single("SELECT role FROM users WHERE id = ?", UUID.fromString(aliceId)));
    }

    @Test
    void anAdminAccountIsNeverLinkedByEmail() {
        String token = brokerToken();
        String email = Api.uniqueName("boss") + "@example.com";
        String adminId = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body("google", "g-" + UUID.randomUUID(), email, true))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .extract()
                .path("userId");
        Api.sql("UPDATE users SET role = 'ADMIN' WHERE id = ?", UUID.fromString(adminId));

        String other = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body("github", "gh-" + UUID.randomUUID(), email, true))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(false))
                .extract()
                .path("userId");
        assertNotEquals(adminId, other);
    }

    @Test
    void linksAreKeyedByTheProviderInstanceNotOnlyItsId() {
        String token = brokerToken();
        String subject = "s-" + UUID.randomUUID();
        Map<String, Object> first = body("corp", subject, null, false);
        first.put("issuer", "urn:latch:idp:" + UUID.randomUUID());
        String userId = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(first)
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .extract()
                .path("userId");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(first)
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(true))
                .body("userId", equalTo(userId));

        // the same provider id and subject from another provider instance is someone else
        Map<String, Object> recreated = body("corp", subject, null, false);
        recreated.put("issuer", "urn:latch:idp:" + UUID.randomUUID());
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(recreated)
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(false))
                .body("userId", org.hamcrest.Matchers.not(equalTo(userId)));
    }

    @Test
    void aLinkRecordedBeforeIssuersKeepsItsUserAndLearnsTheIssuer() {
        String token = brokerToken();
        String subject = "legacy-" + UUID.randomUUID();
        String userId = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body("corp", subject, null, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .extract()
                .path("userId");
        String issuer = "urn:latch:idp:" + UUID.randomUUID();
        Map<String, Object> withIssuer = body("corp", subject, null, false);
        withIssuer.put("issuer", issuer);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(withIssuer)
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("userId", equalTo(userId));
        assertEquals(issuer, Api.single("SELECT issuer FROM federated_identities WHERE subject = ?", subject));
    }

    @Test
    void requiresTheBrokersScope() {
        given().contentType(ContentType.JSON)
                .body(body("github", "s", null, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        String devToken = Api.clientToken("latch-dev", "latch-dev-secret", null);
        given().auth()
                .oauth2(devToken)
                .contentType(ContentType.JSON)
                .body(body("github", "s", null, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(Api.newUserToken())
                .contentType(ContentType.JSON)
                .body(body("github", "s", null, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(brokerToken())
                .contentType(ContentType.JSON)
                .body(body("Bad Provider", "s", null, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(400);
    }

    @Test
    void anInvalidBodyNamesEachRefusedFieldAfterTheScopeCheck() {
        Map<String, Object> bad = body("Bad Provider", " ", "x".repeat(321), false);
        bad.put("avatarUrl", "javascript:alert(1)");
        bad.put("issuer", "   ");
        given().auth()
                .oauth2(brokerToken())
                .contentType(ContentType.JSON)
                .body(bad)
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.equalTo(400))
                .body(
                        "errors.field",
                        org.hamcrest.Matchers.hasItems("provider", "subject", "email", "avatarUrl", "issuer"))
                .body("errors.message", org.hamcrest.Matchers.hasItem("avatarUrl must be an http(s) URL."));
        // a client without sessions:issue is refused for that, whatever its body
        given().auth()
                .oauth2(Api.clientToken("latch-dev", "latch-dev-secret", null))
                .contentType(ContentType.JSON)
                .body(bad)
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(403);
    }
}
