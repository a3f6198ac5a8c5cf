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

    /**
     * Allow provider URLs whose host is, or resolves to, a loopback, link-local, private or CGNAT
     * address or a cluster-internal name (local runs and tests only): without this an admin, or a
     * provider's discovery document, could make the broker call services inside the cluster.
     */
    @WithDefault("false")
    boolean allowPrivateProviderHosts();

    /**
     * Hosts exempt from the private-address rule, matched exactly (case-insensitive), e.g. an
     * in-cluster Keycloak {@code keycloak.auth.svc.cluster.local}.
     */
    Optional<List<String>> allowedPrivateProviderHosts();

    /**
     * Origins ({@code scheme://host[:port]}, exact) besides the broker's own to which {@code redirect_to} may
     * also be an absolute URL: auth-service's login page when it is served from another origin (a local run
     * on separate ports). The path after the origin gets the same checks as a local {@code redirect_to}.
     * None by default: behind one Ingress every target is a local path.
     */
    Optional<List<String>> redirectOrigins();

    StartRateLimit startRateLimit();

    /** Providers declared in configuration, by id; written to the database at start (configuration wins). */
    Map<String, DeclaredProvider> providers();

    interface Secrets {
        /** AES-256-GCM key (base64 of 32 bytes) for provider client secrets at rest. Required in production. */
        Optional<String> encryptionKey();
    }

    interface Http {
        @WithDefault("5S")
        Duration connectTimeout();

        /** Until the provider's response headers arrive. */
        @WithDefault("10S")
        Duration requestTimeout();

        /**
         * The whole exchange, last body byte included: a provider that trickles its answer is cut off
         * here rather than holding a worker thread.
         */
        @WithDefault("10S")
        Duration responseDeadline();

        /** Larger answers from a provider are refused. */
        @WithDefault("1048576")
        int maxResponseBytes();
    }

    /** Unauthenticated {@code /start} stores a state in Redis per call, so calls per client address are counted. */
    interface StartRateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Starts one client address may make per window. */
        @WithDefault("30")
        int maxStarts();

        @WithDefault("1M")
        Duration window();
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

        /** Default true for google and github, false for every other kind. */
        Optional<Boolean> trustEmail();

        Optional<List<String>> allowedEmailDomains();

        @WithDefault("false")
        boolean allowSignup();
    }
}
