package dev.latch.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.UnresolvableKeyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens naming an unknown kid must not turn into a stream of JWKS fetches against auth-service. */
class JwksRefetchTest {

    private LocalJsonServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private RsaJsonWebKey key;

    @BeforeEach
    void start() throws Exception {
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("known");
        key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        String jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        server = new LocalJsonServer("/jwks", request -> {
            fetches.incrementAndGet();
            return jwks;
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void unknownKidTokensEvery400msCauseAtMostOneRefetchIn10Seconds() throws Exception {
        VerificationKeys keys = new JwksVerificationKeys(TestJwtConfig.jwks(server.url()));
        JsonWebSignature known = jws("known");
        keys.resolver().resolveKey(known, List.of());
        assertEquals(1, fetches.get(), "the first verification loads the set");

        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int forged = 0;
        while (System.nanoTime() < end) {
            JsonWebSignature unknown = jws("forged-" + forged++);
            assertThrows(UnresolvableKeyException.class, () -> keys.resolver().resolveKey(unknown, List.of()));
            Thread.sleep(400);
        }
        // the initial load plus at most one refetch for all ~25 forged tokens
        org.junit.jupiter.api.Assertions.assertTrue(
                fetches.get() <= 2, fetches.get() + " JWKS fetches for " + forged + " tokens");
        keys.resolver().resolveKey(known, List.of());
    }

    private JsonWebSignature jws(String kid) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{}");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(kid);
        jws.setKey(key.getPrivateKey());
        JsonWebSignature parsed = new JsonWebSignature();
        parsed.setCompactSerialization(jws.getCompactSerialization());
        return parsed;
    }
}
