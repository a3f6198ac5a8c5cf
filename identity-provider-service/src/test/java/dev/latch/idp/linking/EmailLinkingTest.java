package dev.latch.idp.linking;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the broker tells auth-service about a login's email: {@code emailVerified} is true only when
 * the provider asserted it AND the provider is trusted for emails AND the domain is allowed.
 */
@QuarkusTest
class EmailLinkingTest {

    private static final Map<String, Object> VERIFIED = Map.of("email", "carol@Example.com", "email_verified", true);

    @Test
    void verifiedEmailOfAnOidcProviderIsNotALinkingKeyByDefault() {
        for (String kind : List.of("oidc", "keycloak")) {
            String provider = Flows.createOidcProvider(Map.of("kind", kind));
            given().auth()
                    .oauth2(Flows.adminToken())
                    .get("/v1/identity-providers/admin/" + provider)
                    .then()
                    .statusCode(200)
                    .body("trustEmail", equalTo(false))
                    .body("allowSignup", equalTo(false));
            Map<String, Object> asked = Flows.federatedLoginAtMock(provider, "carol-" + kind, VERIFIED);
            assertEquals("carol@Example.com", asked.get("email"), "the email is still passed on");
            assertEquals(false, asked.get("emailVerified"), kind);
            assertEquals(false, asked.get("allowSignup"));
        }
    }

    @Test
    void trustEmailMakesAVerifiedEmailALinkingKey() {
        String provider = Flows.createOidcProvider(Map.of("kind", "keycloak", "trustEmail", true));
        assertEquals(
                true, Flows.federatedLoginAtMock(provider, "dave", VERIFIED).get("emailVerified"));
        assertEquals(
                false,
                Flows.federatedLoginAtMock(
                                provider,
                                "dave-unverified",
                                Map.of("email", "dave@example.com", "email_verified", false))
                        .get("emailVerified"));
    }

    @Test
    void allowedEmailDomainsLimitWhichEmailsLink() {
        String outside =
                Flows.createOidcProvider(Map.of("trustEmail", true, "allowedEmailDomains", List.of("corp.example")));
        assertEquals(
                false, Flows.federatedLoginAtMock(outside, "erin", VERIFIED).get("emailVerified"));
        assertEquals(
                false,
                Flows.federatedLoginAtMock(
                                outside, "erin-sub", Map.of("email", "erin@sub.corp.example", "email_verified", true))
                        .get("emailVerified"),
                "exact domains only: a subdomain is another domain");
        String inside = Flows.createOidcProvider(
                Map.of("trustEmail", true, "allowedEmailDomains", List.of("corp.example", "EXAMPLE.com")));
        given().auth()
                .oauth2(Flows.adminToken())
                .get("/v1/identity-providers/admin/" + inside)
                .then()
                .body("allowedEmailDomains", equalTo(List.of("corp.example", "example.com")));
        assertEquals(true, Flows.federatedLoginAtMock(inside, "frank", VERIFIED).get("emailVerified"));
    }

    @Test
    void trustEmailDefaultsByKind() {
        String admin = Flows.adminToken();
        for (var kind : Map.of(
                        "github",
                        true,
                        "google",
                        true,
                        "gitlab",
                        false,
                        "microsoft",
                        false,
                        "okta",
                        false,
                        "auth0",
                        false,
                        "keycloak",
                        false,
                        "oidc",
                        false,
                        "oauth2",
                        false)
                .entrySet()) {
            Map<String, Object> body =
                    new java.util.HashMap<>(Map.of("id", Flows.uniqueId(kind.getKey()), "kind", kind.getKey()));
            if (List.of("okta", "auth0", "keycloak", "oidc").contains(kind.getKey())) {
                body.put("issuer", "https://idp.example.com");
            }
            if (kind.getKey().equals("oauth2")) {
                body.putAll(Map.of(
                        "authorizationUrl",
                        "https://a.example/auth",
                        "tokenUrl",
                        "https://a.example/token",
                        "userInfoUrl",
                        "https://a.example/me",
                        "fieldMapping",
                        Map.of("identifier", "id")));
            }
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/v1/identity-providers/admin")
                    .then()
                    .statusCode(201)
                    .body("trustEmail", equalTo(kind.getValue()))
                    .body("allowSignup", equalTo(false));
        }
    }

    @Test
    void badEmailDomainsAre400() {
        String admin = Flows.adminToken();
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "id", Flows.uniqueId("d"), "kind", "github", "allowedEmailDomains", List.of("@example.com")))
                .post("/v1/identity-providers/admin")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("allowedEmailDomains"));
    }

    @Test
    void microsoftEmailsNeverLinkEvenWhenTrusted() {
        String provider = Flows.createOidcProvider(Map.of("kind", "microsoft", "trustEmail", true));
        Map<String, Object> asked = Flows.federatedLoginAtMock(provider, "mallory", VERIFIED);
        assertEquals(false, asked.get("emailVerified"));
        assertTrue(String.valueOf(asked.get("issuer")).startsWith("urn:latch:idp:"));
    }
}
