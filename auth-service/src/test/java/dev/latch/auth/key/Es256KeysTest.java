package dev.latch.auth.key;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latch.auth.Api;
import dev.latch.auth.token.TokenVerificationTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With ES256 selected: tokens verify with P-256 keys, and an all-zero ECDSA signature (CVE-2022-21449) is refused. */
@QuarkusTest
@TestProfile(Es256KeysTest.Es256.class)
class Es256KeysTest {

    public static class Es256 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("latch.auth.keys.algorithm", "ES256");
        }
    }

    @Test
    void es256TokenVerifiesAndZeroSignatureIsRefused() throws Exception {
        String token = Api.newUserToken();
        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(jwt.verify(new ECDSAVerifier(key)));
        given().auth().oauth2(token).get("/v1/users/me").then().statusCode(200);

        String[] parts = token.split("\\.");
        String zeros = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        TokenVerificationTest.refused(parts[0] + "." + parts[1] + "." + zeros);
        TokenVerificationTest.refused(parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[8]));
    }
}
