package dev.latch.idp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "latch.idp")
public interface IdpConfig {

    /** How long a started login may take: the state's TTL in Redis (at most 10 minutes). */
    @WithDefault("10M")
    Duration stateTtl();

    Secrets secrets();

    Http http();

    /** Allow http:// provider URLs (local runs and tests only). */
    @WithDefault("false")
    boolean allowInsecureProviderUrls();

    /** Providers declared in configuration, by id; written to the database at start (configuration wins). */
    Map<String, DeclaredProvider> providers();

    interface Secrets {
        /** AES-256-GCM key (base64 of 32 bytes) for provider client secrets at rest. Required in production. */
        Optional<String> encryptionKey();
    }

    interface Http {
        @WithDefault("5S")
        Duration connectTimeout();

        @WithDefault("10S")
        Duration requestTimeout();

        /** Larger answers from a provider are refused. */
        @WithDefault("1048576")
        int maxResponseBytes();
    }

    interface DeclaredProvider {
        String kind();

        Optional<String> title();

        Optional<String> clientId();

        Optional<String> clientSecret();

        Optional<String> issuer();

        Optional<String> tenant();

        Optional<String> baseUrl();

        Optional<String> authorizationUrl();

        Optional<String> tokenUrl();

        Optional<String> userInfoUrl();

        Optional<List<String>> scopes();

        Optional<Boolean> pkce();

        @WithDefault("true")
        boolean enabled();

        Map<String, String> fieldMapping();
    }
}
