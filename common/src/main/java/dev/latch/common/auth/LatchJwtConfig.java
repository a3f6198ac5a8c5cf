package dev.latch.common.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How every Latch service verifies bearer tokens: access-token JWTs offline, PATs through introspection. */
@ConfigMapping(prefix = "latch.jwt")
public interface LatchJwtConfig {

    /** auth-service's public issuer URL; {@code iss} must equal it. */
    String issuer();

    /** {@code aud} must contain it. */
    @WithDefault("latch")
    String audience();

    /** auth-service's JWKS document; keys are cached and refetched on an unknown {@code kid}. */
    Optional<String> jwksUrl();

    /** The only {@code alg} values accepted; never {@code none} or an HMAC. */
    @WithDefault("RS256,ES256,EdDSA")
    List<String> algorithms();

    @WithDefault("30S")
    Duration clockSkew();

    /**
     * A token with an unknown {@code kid} makes the verifier fetch the JWKS again at most this often
     * (one fetch at a time), so forged tokens cannot turn into a request storm against auth-service.
     */
    @WithDefault("30S")
    Duration unknownKidRefetchInterval();

    /** A bearer value longer than this is refused before it is parsed. */
    @WithDefault("8192")
    int maxTokenLength();

    Introspection introspection();

    interface Introspection {
        /** auth-service's {@code /oauth2/introspect}, used to resolve PATs. */
        Optional<String> url();

        Optional<String> clientId();

        Optional<String> clientSecret();

        /** How long an answer is reused: a revoked PAT stops working within this bound (at most 30 s). */
        @WithDefault("30S")
        Duration cacheTtl();

        /** Active PATs remembered (least recently used dropped first). */
        @WithDefault("10000")
        int cacheSize();

        /**
         * Unknown, revoked or expired PATs remembered, in a cache of their own: a flood of well-formed
         * fake PATs evicts only other fakes, never the answers for real tokens.
         */
        @WithDefault("1000")
        int negativeCacheSize();
    }
}
