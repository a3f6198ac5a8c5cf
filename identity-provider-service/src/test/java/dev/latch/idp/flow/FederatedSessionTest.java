package dev.latch.idp.flow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.security.SecureTokens;
import dev.latch.common.testing.AuthServerStub;
import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the broker sends to auth-service besides the profile (issuer, allowSignup) and how it maps refusals. */
@QuarkusTest
class FederatedSessionTest {

    private static final Pattern ISSUER =
            Pattern.compile("urn:latch:idp:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String SPA_REDIRECT = "https://spa.example/callback";

    @AfterEach
    void signupEnabledAgain() {
        AuthServerStub.signupDisabled(false);
    }

    @Test
    void unknownIdentityWithSignupDisabledLandsOnSignupDisabled() {
        String provider = Flows.createOidcProvider(Map.of());
        AuthServerStub.signupDisabled(true);
        var callback = Flows.loginAtMock(provider, "stranger-" + UUID.randomUUID(), Map.of());
        callback.then().statusCode(307).header("Location", "/app?oauth_error=signup_disabled");
        org.junit.jupiter.api.Assertions.assertNull(callback.getCookie("latch_refresh"));
    }

    @Test
    void singlePageAppGets403SignupDisabled() {
        String provider = Flows.createOidcProvider(Map.of());
        AuthServerStub.signupDisabled(true);
        String verifier = SecureTokens.randomBase64Url(32);
        String code = Flows.spaCodeAtMock(SPA_REDIRECT, verifier, "spa-stranger-" + UUID.randomUUID(), Map.of());
        given().contentType(ContentType.JSON)
                .body(Map.of("code", code, "redirectUri", SPA_REDIRECT, "codeVerifier", verifier))
                .post("/v1/auth/oauth/" + provider + "/token")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:latch:problem:signup-disabled"))
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void allowSignupIsSentAndLetsAProviderCreateUsers() {
        String provider = Flows.createOidcProvider(Map.of("allowSignup", true));
        given().auth()
                .oauth2(Flows.adminToken())
                .get("/v1/identity-providers/admin/" + provider)
                .then()
                .body("allowSignup", equalTo(true));
        AuthServerStub.signupDisabled(true);
        Map<String, Object> asked = Flows.federatedLoginAtMock(provider, "invited-" + UUID.randomUUID(), Map.of());
        assertEquals(true, asked.get("allowSignup"));
        assertTrue(ISSUER.matcher(String.valueOf(asked.get("issuer"))).matches(), String.valueOf(asked.get("issuer")));
    }

    @Test
    void knownIdentityStillSignsInWithSignupDisabled() {
        String provider = Flows.createOidcProvider(Map.of());
        String subject = "regular-" + UUID.randomUUID();
        Flows.federatedLoginAtMock(provider, subject, Map.of());
        AuthServerStub.signupDisabled(true);
        Flows.federatedLoginAtMock(provider, subject, Map.of());
    }

    @Test
    void disabledAccountLandsOnAccountDisabled() {
        String provider = Flows.createOidcProvider(Map.of());
        String subject = "banned-" + UUID.randomUUID();
        String verifier = SecureTokens.randomBase64Url(32);
        String code = Flows.spaCodeAtMock(SPA_REDIRECT, verifier, subject, Map.of());
        String userId = given().contentType(ContentType.JSON)
                .body(Map.of("code", code, "redirectUri", SPA_REDIRECT, "codeVerifier", verifier))
                .post("/v1/auth/oauth/" + provider + "/token")
                .then()
                .statusCode(200)
                .extract()
                .path("user.id");
        AuthServerStub.disableUser(userId, true);
        try {
            Flows.loginAtMock(provider, subject, Map.of())
                    .then()
                    .statusCode(307)
                    .header("Location", "/app?oauth_error=account_disabled");
            String again = Flows.spaCodeAtMock(SPA_REDIRECT, verifier, subject, Map.of());
            given().contentType(ContentType.JSON)
                    .body(Map.of("code", again, "redirectUri", SPA_REDIRECT, "codeVerifier", verifier))
                    .post("/v1/auth/oauth/" + provider + "/token")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        } finally {
            AuthServerStub.disableUser(userId, false);
        }
    }

    @Test
    void aProviderCreatedAgainUnderTheSameIdIsAnotherIssuer() {
        String provider = Flows.createOidcProvider(Map.of());
        String subject = "same-sub-" + UUID.randomUUID();
        Map<String, Object> first = Flows.federatedLoginAtMock(provider, subject, Map.of());
        given().auth()
                .oauth2(Flows.adminToken())
                .delete("/v1/identity-providers/admin/" + provider)
                .then()
                .statusCode(204);
        Flows.createOidcProvider(Map.of("id", provider));
        int before = AuthServerStub.federatedRequests().size();
        Flows.loginAtMock(provider, subject, Map.of()).then().statusCode(307).header("Location", "/app");
        Map<String, Object> second = AuthServerStub.federatedRequests().get(before);
        assertEquals(first.get("provider"), second.get("provider"));
        assertNotEquals(first.get("issuer"), second.get("issuer"), "a new row, a new issuer: old links are not reused");
    }
}
