package dev.latch.idp.provider;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.latch.idp.Flows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Once users signed in through a provider, what makes its subjects theirs (kind, issuer, tenant, baseUrl) is fixed. */
@QuarkusTest
class ProviderIdentityTest {

    private static io.restassured.response.ValidatableResponse put(String id, Map<String, Object> body) {
        return given().auth()
                .oauth2(Flows.adminToken())
                .contentType(ContentType.JSON)
                .body(body)
                .put("/v1/identity-providers/admin/" + id)
                .then();
    }

    @Test
    void identityMayChangeBeforeAnyLogin() {
        String provider = Flows.createOidcProvider(Map.of());
        given().auth()
                .oauth2(Flows.adminToken())
                .get("/v1/identity-providers/admin/" + provider)
                .then()
                .body("firstLoginAt", nullValue());
        put(provider, Map.of("kind", "keycloak", "issuer", "https://kc.example.com/realms/other"))
                .statusCode(200)
                .body("kind", equalTo("keycloak"))
                .body("issuer", equalTo("https://kc.example.com/realms/other"));
    }

    @Test
    void identityIsFixedAfterTheFirstLogin() {
        String provider = Flows.createOidcProvider(Map.of());
        Flows.federatedLoginAtMock(provider, "ivy", Map.of());
        given().auth()
                .oauth2(Flows.adminToken())
                .get("/v1/identity-providers/admin/" + provider)
                .then()
                .body("firstLoginAt", notNullValue());

        put(provider, Map.of("issuer", "https://evil.example.com"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", allOf(containsString("issuer"), containsString("another issuer")));
        put(provider, Map.of("kind", "keycloak")).statusCode(409).body("detail", containsString("kind"));
        put(provider, Map.of("tenant", "contoso.example")).statusCode(409).body("detail", containsString("tenant"));
        put(provider, Map.of("baseUrl", "https://gitlab.example.com"))
                .statusCode(409)
                .body("detail", containsString("baseUrl"));
        put(provider, Map.of("kind", "keycloak", "tenant", "t1"))
                .statusCode(409)
                .body("detail", allOf(containsString("kind"), containsString("tenant")));

        // the refused changes left nothing behind, and everything else may still change
        put(provider, Map.of("title", "Renamed", "issuer", Flows.mockIssuer(), "trustEmail", true))
                .statusCode(200)
                .body("title", equalTo("Renamed"))
                .body("kind", equalTo("oidc"))
                .body("issuer", equalTo(Flows.mockIssuer()))
                .body("tenant", nullValue())
                .body("trustEmail", equalTo(true));
        Flows.federatedLoginAtMock(provider, "ivy", Map.of());
    }
}
