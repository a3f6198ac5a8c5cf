package dev.latch.idp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

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
                    "latch.idp.providers.corp.client-secret", "corp-secret");
        }
    }

    @Test
    void declaredProviderIsListedAndStarts() {
        given().get("/v1/identity-providers").then().statusCode(200)
                .body("items.find { it.id == 'corp' }.title", equalTo("Corp GitHub"));
        given().auth().oauth2(Flows.adminToken()).get("/v1/identity-providers/admin/corp").then().statusCode(200)
                .body("kind", equalTo("github")).body("clientSecretSet", equalTo(true));
        String location = Flows.started("corp", "/").location();
        org.junit.jupiter.api.Assertions.assertTrue(location.startsWith("https://github.com/login/oauth/authorize?"), location);
    }
}
