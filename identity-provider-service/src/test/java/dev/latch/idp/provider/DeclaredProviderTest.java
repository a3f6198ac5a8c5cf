package dev.latch.idp.provider;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Providers declared in configuration are written to the registry at start and usable at once. */
@QuarkusTest
@TestProfile(DeclaredProviderTest.Declared.class)
class DeclaredProviderTest {

    public static class Declared implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "latch.idp.providers.corp.kind", "github",
                    "latch.idp.providers.corp.title", "Corp GitHub",
                    "latch.idp.providers.corp.client-id", "corp-client",
                    "latch.idp.providers.corp.client-secret", "corp-secret",
                    "latch.idp.providers.corp.allow-signup", "true",
                    "latch.idp.providers.corp.allowed-email-domains", "corp.example,Example.org",
                    "latch.idp.providers.kc.kind", "keycloak",
                    "latch.idp.providers.kc.issuer", "https://kc.example.com/realms/corp",
                    "latch.idp.providers.kc.client-id", "kc-client");
        }
    }

    @Test
    void declaredProviderIsListedAndStarts() {
        given().get("/v1/identity-providers")
                .then()
                .statusCode(200)
                .body("items.find { it.id == 'corp' }.title", equalTo("Corp GitHub"));
        given().auth()
                .oauth2(Flows.adminToken())
                .get("/v1/identity-providers/admin/corp")
                .then()
                .statusCode(200)
                .body("kind", equalTo("github"))
                .body("clientSecretSet", equalTo(true))
                .body("trustEmail", equalTo(true))
                .body("allowSignup", equalTo(true))
                .body("allowedEmailDomains", equalTo(java.util.List.of("corp.example", "example.org")));
        given().auth()
                .oauth2(Flows.adminToken())
                .get("/v1/identity-providers/admin/kc")
                .then()
                .statusCode(200)
                .body("trustEmail", equalTo(false))
                .body("allowSignup", equalTo(false))
                .body("allowedEmailDomains", org.hamcrest.Matchers.nullValue());
        String location = Flows.started("corp", "/").location();
        org.junit.jupiter.api.Assertions.assertTrue(
                location.startsWith("https://github.com/login/oauth/authorize?"), location);
    }
}
