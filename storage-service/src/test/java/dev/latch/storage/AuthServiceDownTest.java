package dev.latch.storage;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latch.common.testing.AuthServerStub;
import dev.latch.common.testing.SilentServer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/**
 * auth-service stopped (its server shut down: connections refused), then up but not answering (a listener that
 * never replies): storage-service keeps verifying access tokens from its cached JWKS; a token naming a kid it has
 * not seen is 401; a PAT works from its introspection cache entry (2 s in the test profile, at most 30 s) and is
 * 401 once that expired — every answer within seconds, never a 500.
 */
@QuarkusTest
class AuthServiceDownTest {

    private static final long BOUND_MS = 5000;

    @Test
    void whileAuthServiceIsDownVerifiedTokensKeepWorkingAndUnknownKidsAndExpiredPatsAre401() throws Exception {
        Api.User user = Api.newUser();
        given().auth().oauth2(user.token()).get("/api/v1/attachments").then().statusCode(200);
        String pat = AuthServerStub.pat(user.id(), user.username(), "USER", "attachments:read");
        given().auth().oauth2(pat).get("/api/v1/attachments").then().statusCode(200);
        String unknownKid = resignedWithANewKey(user.token());

        int port = AuthServerStub.pause();
        SilentServer silent = null;
        try {
            given().auth()
                    .oauth2(user.token())
                    .get("/api/v1/attachments")
                    .then()
                    .statusCode(200);
            assertAnsweredWithin(() -> given().auth()
                    .oauth2(unknownKid)
                    .get("/api/v1/attachments")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\""));
            // the PAT: 200 while its cache entry lives, then 401 — never anything else
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        int status = given().auth()
                                .oauth2(pat)
                                .get("/api/v1/attachments")
                                .statusCode();
                        assertTrue(
                                List.of(200, 401).contains(status), "PAT with auth-service stopped answered " + status);
                        return status == 401;
                    });
            assertAnsweredWithin(() -> given().auth()
                    .oauth2(pat)
                    .get("/api/v1/attachments")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\""));

            // up but not answering: the introspection call is cut off by its timeout
            silent = SilentServer.on(port);
            assertAnsweredWithin(() -> given().auth()
                    .oauth2(pat)
                    .get("/api/v1/attachments")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json"));
            assertTrue(silent.connections() > 0, "the PAT was asked for at the silent auth-service");
            given().auth()
                    .oauth2(user.token())
                    .get("/api/v1/attachments")
                    .then()
                    .statusCode(200);
        } finally {
            if (silent != null) {
                silent.close();
            }
            AuthServerStub.resume();
        }
        // auth-service back: the PAT works again at once (failures are not cached)
        given().auth().oauth2(pat).get("/api/v1/attachments").then().statusCode(200);
    }

    private static void assertAnsweredWithin(Runnable request) {
        long start = System.nanoTime();
        request.run();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < BOUND_MS, "answered after " + ms + " ms");
    }

    /** The same claims under a key and kid the JWKS has never listed (as a token of a key rotated in later). */
    private static String resignedWithANewKey(String token) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue("rotated-" + UUID.randomUUID());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "at+jwt");
        return jws.getCompactSerialization();
    }
}
