package dev.latch.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.latch.common.security.PersonalAccessTokens;
import dev.latch.common.testing.SilentServer;
import io.smallrye.jwt.auth.principal.ParseException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * auth-service stopped, or up but not answering (a real listener that never replies), seen from the token
 * verification every other service runs: access tokens whose key was fetched keep verifying from the cached JWKS;
 * a token naming a kid not seen yet is refused within seconds; a PAT is served from its introspection cache entry
 * while it lives and refused (401, never a server error) once it expired — within seconds, never hanging.
 */
class AuthServiceDownTest {

    /** What "within seconds" means here: the verifier's own timeouts plus scheduling slack. */
    private static final Duration BOUND = Duration.ofSeconds(5);

    private RsaJsonWebKey key;
    private LocalJsonServer jwks;
    private LocalJsonServer introspection;
    private SilentServer silent;
    private final String pat = PersonalAccessTokens.generate();

    @BeforeEach
    void authServiceUp() throws Exception {
        key = rsa("known");
        String set = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        jwks = new LocalJsonServer("/jwks", request -> set);
        introspection = new LocalJsonServer(
                "/introspect",
                form -> form.contains(pat.substring(10))
                        ? "{\"active\":true,\"sub\":\"u1\",\"username\":\"alice\",\"role\":\"USER\",\"scope\":\"attachments:read\"}"
                        : "{\"active\":false}");
    }

    @AfterEach
    void stop() throws Exception {
        jwks.close();
        introspection.close();
        if (silent != null) {
            silent.close();
        }
    }

    @Test
    void whileAuthServiceIsStoppedVerifiedKeysKeepWorkingAndAnUnknownKidIsRefusedWithinSeconds() throws Exception {
        LatchPrincipalFactory factory = factory(Duration.ofSeconds(30));
        String token = token(key);
        factory.parse(token, null);
        jwks.close();
        assertEquals("u1", factory.parse(token, null).getSubject(), "verified from the cached JWKS");
        String unknownKid = token(rsa("rotated-" + UUID.randomUUID()));
        assertTimeoutPreemptively(
                BOUND, () -> assertThrows(ParseException.class, () -> factory.parse(unknownKid, null)));
        assertEquals("u1", factory.parse(token, null).getSubject());
    }

    @Test
    void whileAuthServiceDoesNotAnswerAnUnknownKidIsRefusedWithinSeconds() throws Exception {
        LatchPrincipalFactory factory = factory(Duration.ofSeconds(30));
        String token = token(key);
        factory.parse(token, null);
        int port = URI.create(jwks.url()).getPort();
        jwks.close();
        silent = SilentServer.on(port);
        String unknownKid = token(rsa("rotated-" + UUID.randomUUID()));
        assertTimeoutPreemptively(
                BOUND, () -> assertThrows(ParseException.class, () -> factory.parse(unknownKid, null)));
        assertEquals(1, silent.connections(), "the refetch went to the silent auth-service");
        assertEquals("u1", factory.parse(token, null).getSubject(), "known keys unaffected");
    }

    @Test
    void aPatFailsClosedOnceItsCacheEntryExpiresWhileAuthServiceIsStopped() throws Exception {
        LatchPrincipalFactory factory = factory(Duration.ofSeconds(2));
        assertEquals("u1", factory.parse(pat, null).getSubject());
        long cached = System.nanoTime();
        introspection.close();
        // the cache entry still answers (a revoked PAT stops within the cache bound, even with auth-service down)
        assertEquals("u1", factory.parse(pat, null).getSubject());
        // then refused as an unknown token: never a server error, never a stale entry
        Awaitility.await()
                .atMost(Duration.ofSeconds(4))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    try {
                        factory.parse(pat, null);
                        return false;
                    } catch (ParseException refused) {
                        return true;
                    }
                });
        assertEquals(
                true, System.nanoTime() - cached >= Duration.ofSeconds(2).toNanos(), "not before the entry expired");
        assertTimeoutPreemptively(BOUND, () -> assertThrows(ParseException.class, () -> factory.parse(pat, null)));
    }

    @Test
    void aPatIsRefusedWithinSecondsWhenAuthServiceDoesNotAnswer() throws Exception {
        int port = URI.create(introspection.url()).getPort();
        introspection.close();
        silent = SilentServer.on(port);
        LatchPrincipalFactory factory = factory(Duration.ofSeconds(30));
        assertTimeoutPreemptively(BOUND, () -> assertThrows(ParseException.class, () -> factory.parse(pat, null)));
    }

    // ---- helpers

    private LatchPrincipalFactory factory(Duration patCacheTtl) {
        TestJwtConfig config = TestJwtConfig.both(jwks.url(), introspection.url(), patCacheTtl);
        return new LatchPrincipalFactory(
                config,
                new AccessTokenVerifier(config, new JwksVerificationKeys(config)),
                new IntrospectionPatResolver(config, new com.fasterxml.jackson.databind.ObjectMapper()));
    }

    private static RsaJsonWebKey rsa(String kid) throws Exception {
        RsaJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
        k.setKeyId(kid);
        k.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
        return k;
    }

    /** An access token as auth-service signs it (RFC 9068), with this key and its kid. */
    private static String token(RsaJsonWebKey signer) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("http://issuer");
        claims.setAudience("latch");
        claims.setSubject("u1");
        claims.setGeneratedJwtId();
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(15);
        claims.setClaim("role", "USER");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getPrivateKey());
        jws.setKeyIdHeaderValue(signer.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "at+jwt");
        return jws.getCompactSerialization();
    }
}
