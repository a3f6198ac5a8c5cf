package dev.latch.auth.federation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.latch.auth.Api;
import dev.latch.auth.user.SignUpDisabledTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With sign-up disabled, a federated login creates an account only when the provider allows sign-up. */
@QuarkusTest
@TestProfile(SignUpDisabledTest.Disabled.class)
class FederatedSignUpDisabledTest {

    private static Map<String, Object> body(String subject, Boolean allowSignup) {
        Map<String, Object> body = new HashMap<>();
        body.put("provider", "corp");
        body.put("issuer", "urn:latch:idp:3f1c9a52-7c55-4a43-9f4e-0c4b9f6d2b11");
        body.put("subject", subject);
        body.put("emailVerified", false);
        if (allowSignup != null) {
            body.put("allowSignup", allowSignup);
        }
        return body;
    }

    @Test
    void unknownIdentityIsRefusedUnlessTheProviderAllowsSignUp() {
        String token = Api.clientToken("latch-idp", "latch-idp-secret", "sessions:issue");
        String subject = "new-" + UUID.randomUUID();
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(subject, null))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:latch:problem:signup-disabled"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(subject, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(403);
        assertNoUser(subject);

        String userId = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(subject, true))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("existingUser", equalTo(false))
                .extract()
                .path("userId");
        // once linked, the identity signs in whatever the provider's sign-up setting
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(subject, false))
                .post("/internal/v1/federated-sessions")
                .then()
                .statusCode(200)
                .body("userId", equalTo(userId));
    }

    private static void assertNoUser(String subject) {
        org.junit.jupiter.api.Assertions.assertEquals(
                0L, Api.count("SELECT count(*) FROM federated_identities WHERE subject = ?", subject));
    }
}
