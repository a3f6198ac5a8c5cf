package dev.latch.auth.key;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latch.auth.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

/** Keys mounted as files (a Kubernetes Secret): PKCS#8 PEM and JWK, RSA, P-256 and Ed25519; one is chosen to sign. */
@QuarkusTest
@TestProfile(KeyDirectoryTest.MountedKeys.class)
class KeyDirectoryTest {

    public static class MountedKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("latch-keys");
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(2048);
                Files.writeString(
                        dir.resolve("a-rsa.pem"),
                        pem(rsa.generateKeyPair().getPrivate().getEncoded()));
                KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
                Files.writeString(
                        dir.resolve("c-ed25519.pem"),
                        pem(ed.generateKeyPair().getPrivate().getEncoded()));
                KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
                ec.initialize(new ECGenParameterSpec("secp256r1"));
                Files.writeString(
                        dir.resolve("d-ec.pem"),
                        pem(ec.generateKeyPair().getPrivate().getEncoded()));
                var jwk = EcJwkGenerator.generateJwk(EllipticCurves.P256);
                Files.writeString(dir.resolve("b-ec.json"), jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
                Files.writeString(dir.resolve("README.txt"), "not a key");
                return Map.of("latch.auth.keys.directory", dir.toString(), "latch.auth.keys.active", "b-ec");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static String pem(byte[] pkcs8) {
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
        }
    }

    @Test
    void everyMountedKeyIsPublishedAndTheChosenOneSigns() throws Exception {
        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(4, jwks.getKeys().size());
        for (var key : jwks.getKeys()) {
            assertEquals(key.computeThumbprint().toString(), key.getKeyID());
            assertTrue(key.isPrivate() == false, "only public halves are published");
        }
        List<String> algs = jwks.getKeys().stream()
                .map(k -> k.getAlgorithm().getName())
                .sorted()
                .toList();
        assertEquals(List.of("ES256", "ES256", "EdDSA", "RS256"), algs);

        SignedJWT token = SignedJWT.parse(Api.newUserToken());
        assertEquals(JWSAlgorithm.ES256, token.getHeader().getAlgorithm());
        assertTrue(token.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(
                (ECKey) jwks.getKeyByKeyId(token.getHeader().getKeyID()))));
    }

    @Test
    void rotationThroughTheApiIsRefusedForMountedKeys() throws IOException {
        given().auth()
                .oauth2(Api.newAdminToken())
                .post("/v1/auth/keys/rotate")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
    }
}
