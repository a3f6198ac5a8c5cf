package dev.latch.bench;

import dev.latch.auth.key.KeyMaterial;
import dev.latch.common.auth.AccessTokenVerifier;
import dev.latch.common.auth.LatchJwtConfig;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Access tokens per signing algorithm: what auth-service pays to sign one (the same jose4j calls as
 * {@code SigningKeyStore.sign}) and what every other service pays to verify one offline with
 * {@code common}'s {@link AccessTokenVerifier} (signature, {@code typ}, {@code iss}, {@code aud},
 * {@code exp}, forbidden headers). The key type is chosen with {@code latch.auth.keys.algorithm}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenBenchmark {

    private static final String ISSUER = "https://auth.example.com";

    @Param({"RS256", "ES256", "EdDSA"})
    public String alg;

    private PublicJsonWebKey key;
    private AccessTokenVerifier verifier;
    private String token;

    @Setup
    public void setUp() throws Exception {
        key = KeyMaterial.generate(alg);
        LatchJwtConfig config = ConfigDefaults.of(LatchJwtConfig.class, Map.of("issuer", ISSUER));
        PublicJsonWebKey publicOnly = PublicJsonWebKey.Factory.newPublicJwk(key.toJson());
        verifier = new AccessTokenVerifier(config, () -> new JwksVerificationKeyResolver(List.of(publicOnly)));
        token = sign();
        verify(); // fails the run if the token would not be accepted
    }

    @Benchmark
    public String sign() throws JoseException {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience("latch");
        claims.setSubject("7d1f0b7e-5f7c-4f6b-9d51-0c5f3a2b9e11");
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(15);
        claims.setStringClaim("role", "USER");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(alg);
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setHeader("typ", "at+jwt");
        jws.setKey(key.getPrivateKey());
        return jws.getCompactSerialization();
    }

    @Benchmark
    public JwtClaims verify() throws InvalidJwtException {
        return verifier.verify(token);
    }
}
