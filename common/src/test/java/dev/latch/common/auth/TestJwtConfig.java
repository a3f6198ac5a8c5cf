package dev.latch.common.auth;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link LatchJwtConfig} with its defaults, for unit tests that build verifiers without Quarkus. */
record TestJwtConfig(Optional<String> jwksUrl, Introspection introspection, Duration unknownKidRefetchInterval)
        implements LatchJwtConfig {

    static TestJwtConfig jwks(String url) {
        return new TestJwtConfig(Optional.of(url), null, Duration.ofSeconds(30));
    }

    static TestJwtConfig introspection(String url, int cacheSize, int negativeCacheSize) {
        return introspection(url, cacheSize, negativeCacheSize, "svc", "secret");
    }

    static TestJwtConfig introspection(
            String url, int cacheSize, int negativeCacheSize, String clientId, String clientSecret) {
        return introspection(url, cacheSize, negativeCacheSize, clientId, clientSecret, Duration.ofSeconds(30));
    }

    /**
     * Both a JWKS URL and an introspection URL, answers cached for {@code cacheTtl}; an unknown kid refetches the
     * JWKS every time (no reprieve), so a test sees each refetch.
     */
    static TestJwtConfig both(String jwksUrl, String introspectionUrl, Duration cacheTtl) {
        return new TestJwtConfig(
                Optional.of(jwksUrl),
                introspection(introspectionUrl, 100, 100, "svc", "secret", cacheTtl)
                        .introspection(),
                Duration.ZERO);
    }

    static TestJwtConfig introspection(
            String url, int cacheSize, int negativeCacheSize, String clientId, String clientSecret, Duration cacheTtl) {
        return new TestJwtConfig(
                Optional.empty(),
                new Introspection() {
                    public Optional<String> url() {
                        return Optional.of(url);
                    }

                    public Optional<String> clientId() {
                        return Optional.of(clientId);
                    }

                    public Optional<String> clientSecret() {
                        return Optional.of(clientSecret);
                    }

                    public Duration cacheTtl() {
                        return cacheTtl;
                    }

                    public int cacheSize() {
                        return cacheSize;
                    }

                    public int negativeCacheSize() {
                        return negativeCacheSize;
                    }
                },
                Duration.ofSeconds(30));
    }

    public String issuer() {
        return "http://issuer";
    }

    public String audience() {
        return "latch";
    }

    public List<String> algorithms() {
        return List.of("RS256");
    }

    public Duration clockSkew() {
        return Duration.ofSeconds(30);
    }

    public int maxTokenLength() {
        return 8192;
    }
}
