package dev.latch.idp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.CleartextHttp2;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthTest {

    @Inject
    OidcClient oidcClient;

    @Test
    void readinessChecksTheDatabaseAndRedis() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", hasItem("Redis connection health check"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().accept("application/json").get("/q/openapi").then().statusCode(200);
    }

    @Test
    void clientCredentialsTokenComesFromAuthService() throws Exception {
        Tokens tokens = oidcClient.getTokens().await().atMost(Duration.ofSeconds(10));
        assertNotNull(tokens.getAccessToken());
        SignedJWT jwt = SignedJWT.parse(tokens.getAccessToken());
        assertEquals("latch-idp", jwt.getJWTClaimsSet().getSubject());
        assertEquals(AuthServerStub.issuer(), jwt.getJWTClaimsSet().getIssuer());
        assertEquals("sessions:issue", jwt.getJWTClaimsSet().getStringClaim("scope"));
    }

    @Test
    void http2UpgradeOverClearTextIsDeclined() throws Exception {
        String status = CleartextHttp2.statusLineOfUpgrade(RestAssured.port, "/q/health/live");
        assertTrue(status.startsWith("HTTP/1.1 ") && !status.startsWith("HTTP/1.1 101"), status);
    }
}
