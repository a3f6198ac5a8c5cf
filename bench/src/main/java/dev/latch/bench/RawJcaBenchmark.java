package dev.latch.bench;

import dev.latch.auth.key.KeyMaterial;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.PublicJsonWebKey;
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
 * The limit of {@link TokenBenchmark}: one bare JCA signature (and its verification) over a JWS signing input
 * of the size Latch signs, with a key of the same type, on the JDK's default providers — no JSON, no base64url,
 * no claims. {@code bench/run.sh} prints "Latch sign / raw JCA sign" per algorithm: what Latch's code path adds
 * on top of the cryptography.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RawJcaBenchmark {

    @Param({"RS256", "ES256", "EdDSA"})
    public String alg;

    private Signature signer;
    private Signature verifier;
    private byte[] input;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        PublicJsonWebKey key = KeyMaterial.generate(alg);
        String jca = switch (alg) {
            case "RS256" -> "SHA256withRSA";
            // JWS carries R||S, not DER: the P1363 form is what ES256 needs
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException(alg);
        };
        signer = Signature.getInstance(jca);
        signer.initSign(key.getPrivateKey());
        verifier = Signature.getInstance(jca);
        verifier.initVerify(key.getPublicKey());
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"" + alg + "\",\"kid\":\"" + key.getKeyId() + "\",\"typ\":\"at+jwt\"}";
        String claims =
                "{\"iss\":\"https://auth.example.com\",\"aud\":\"latch\",\"sub\":\"7d1f0b7e-5f7c-4f6b-9d51-0c5f3a2b9e11\","
                        + "\"jti\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"iat\":1764547200,\"exp\":1764548100,\"role\":\"USER\"}";
        input = (b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.US_ASCII);
        signature = sign();
        if (!verify()) {
            throw new IllegalStateException("the raw " + jca + " signature does not verify");
        }
    }

    @Benchmark
    public byte[] sign() throws GeneralSecurityException {
        signer.update(input);
        return signer.sign();
    }

    @Benchmark
    public boolean verify() throws GeneralSecurityException {
        verifier.update(input);
        return verifier.verify(signature);
    }
}
