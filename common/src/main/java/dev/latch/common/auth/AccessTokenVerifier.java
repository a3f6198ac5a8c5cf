package dev.latch.common.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

/**
 * Verifies a Latch access token (RFC 9068): signature with a key from the JWKS, {@code alg} on the
 * allowlist, {@code typ: at+jwt}, {@code iss}, {@code aud}, {@code exp}, {@code nbf}, {@code sub}
 * and {@code jti}. Tokens that carry their own key or a pointer to one ({@code jwk}, {@code jku},
 * {@code x5u}, {@code x5c}) are refused: Latch never lets a token choose its verification key.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private static final List<String> FORBIDDEN_HEADERS = List.of("jwk", "jku", "x5u", "x5c");

    private final LatchJwtConfig config;
    private final VerificationKeys keys;
    private volatile JwtConsumer consumer;

    public AccessTokenVerifier(LatchJwtConfig config, VerificationKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    public JwtClaims verify(String token) throws InvalidJwtException {
        JwtContext context = consumer().process(token);
        return context.getJwtClaims();
    }

    private JwtConsumer consumer() {
        JwtConsumer c = consumer;
        if (c == null) {
            c = new JwtConsumerBuilder()
                    .setVerificationKeyResolver(keys.resolver())
                    .setJwsAlgorithmConstraints(new AlgorithmConstraints(
                            AlgorithmConstraints.ConstraintType.PERMIT,
                            config.algorithms().toArray(String[]::new)))
                    .setExpectedType(true, "at+jwt")
                    .setExpectedIssuer(config.issuer())
                    .setExpectedAudience(config.audience())
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setRequireJwtId()
                    .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                    .registerValidator((org.jose4j.jwt.consumer.Validator) ctx -> {
                        for (JsonWebStructure structure : ctx.getJoseObjects()) {
                            for (String header : FORBIDDEN_HEADERS) {
                                if (structure.getHeaders().getObjectHeaderValue(header) != null) {
                                    return "the '" + header + "' header is not accepted";
                                }
                            }
                        }
                        return null;
                    })
                    .build();
            consumer = c;
        }
        return c;
    }
}
