package dev.latch.auth.key;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
class KeyRotationTest {

    @Test
    void newKeyIsPublishedBeforeItSignsAndOldTokensKeepVerifying() throws Exception {
        String admin = Api.newAdminToken();
        String oldKid = SignedJWT.parse(admin).getHeader().getKeyID();

        String newKid = given().auth()
                .oauth2(admin)
                .post("/v1/auth/keys/rotate")
                .then()
                .statusCode(201)
                .extract()
                .path("kid");
        assertNotEquals(oldKid, newKid);
        List<String> published = given().get("/.well-known/jwks.json")
                .then()
                .statusCode(200)
                .extract()
                .path("keys.kid");
        assertTrue(published.contains(newKid) && published.contains(oldKid), published.toString());

        // within the publish lead (3 s in the test profile) tokens are still signed with the old key
        assertEquals(oldKid, SignedJWT.parse(Api.newUserToken()).getHeader().getKeyID());

        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> SignedJWT.parse(Api.newUserToken())
                        .getHeader()
                        .getKeyID()
                        .equals(newKid));
        // the token signed by the retired key still verifies until it expires, and the key stays published
        given().auth().oauth2(admin).get("/v1/users/me").then().statusCode(200);
        List<String> after =
                given().get("/.well-known/jwks.json").then().extract().path("keys.kid");
        assertTrue(after.contains(oldKid), after.toString());
        given().auth().oauth2(admin).get("/v1/auth/keys").then().statusCode(200);
    }

    @Test
    void onlyAdminsRotate() {
        given().auth()
                .oauth2(Api.newUserToken())
                .post("/v1/auth/keys/rotate")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().post("/v1/auth/keys/rotate").then().statusCode(401).contentType("application/problem+json");
    }
}
