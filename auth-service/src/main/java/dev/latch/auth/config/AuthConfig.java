package dev.latch.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "latch.auth")
public interface AuthConfig {

    Signup signup();

    /** The first ADMIN, created at start when no ADMIN exists (also with sign-up disabled). */
    BootstrapAdmin bootstrapAdmin();

    Token token();

    Keys keys();

    Password password();

    RateLimit rateLimit();

    /**
     * Origins whose pages may call the cookie-authenticated session endpoints; default the origins of
     * {@code latch.public-base-url} and the issuer.
     */
    Optional<List<String>> allowedOrigins();

    /** OAuth2 clients of {@code /oauth2/token}, {@code /oauth2/introspect} and {@code /oauth2/revoke}, by client id. */
    Map<String, Client> clients();

    interface Signup {
        @WithDefault("true")
        boolean enabled();
    }

    interface BootstrapAdmin {
        /** {@code LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME} */
        Optional<String> username();

        /** {@code LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD}: from a Secret; used once, never logged. */
        Optional<String> password();
    }

    interface Token {
        /** The public issuer URL ({@code iss}); other services verify against it. */
        String issuer();

        @WithDefault("latch")
        String audience();

        @WithDefault("15M")
        Duration accessTtl();

        /** Absolute lifetime of a sign-in session; rotation never extends it. */
        @WithDefault("30D")
        Duration refreshTtl();

        /** A rotated refresh token presented again within this window gets the same successor. */
        @WithDefault("10S")
        Duration refreshGrace();

        /** Last-used time of a PAT is written at most this often. */
        @WithDefault("1M")
        Duration patLastUsedResolution();

        /**
         * How long a replica trusts the status (active or disabled) it last read for a user when it introspects that
         * user's access tokens. Disabling a user takes effect at once on the replica that did it, and within this
         * bound on the others.
         */
        @WithDefault("5S")
        Duration userStatusCacheTtl();
    }

    interface Keys {
        /** A directory of JWK (.json/.jwk) or PEM (.pem) private keys, e.g. a mounted Kubernetes Secret. */
        Optional<Path> directory();

        /** File name (without extension) or kid of the signing key in the directory; default the last file by name. */
        Optional<String> active();

        /** Algorithm of generated keys: RS256, ES256 or EdDSA. */
        @WithDefault("RS256")
        String algorithm();

        /** Encrypts generated private keys at rest (base64 of 32 bytes). Required in production when no directory is set. */
        Optional<String> encryptionKey();

        /** A rotated key is published in the JWKS this long before it starts signing (longer than verifiers cache the JWKS). */
        @WithDefault("10M")
        Duration publishLead();

        /** {@code Cache-Control: max-age} of the JWKS document. */
        @WithDefault("5M")
        Duration jwksMaxAge();

        /**
         * How often each replica reads the keys again (the key table, or the mounted directory), so a key rotated at
         * one replica is known to the others: at most this long after a rotation every replica publishes it. Keep
         * {@code publish-lead} above it, so no replica signs with a key another replica does not yet publish.
         */
        @WithDefault("30S")
        Duration reloadInterval();
    }

    interface Password {
        /** Argon2id memory in KiB (OWASP: 19456 with t=2, p=1). */
        @WithDefault("19456")
        int memoryKib();

        @WithDefault("2")
        int iterations();

        @WithDefault("1")
        int parallelism();

        /** Password hashes computed at once (each holds {@code memory-kib}); default twice the CPU count. */
        Optional<Integer> maxConcurrent();

        /** How long a request waits for a hashing permit before 503 with {@code Retry-After}. */
        @WithDefault("2S")
        Duration permitTimeout();
    }

    interface RateLimit {
        @WithDefault("5")
        int maxFailuresPerUsername();

        @WithDefault("20")
        int maxFailuresPerIp();

        @WithDefault("15M")
        Duration window();

        /** Failed client authentications per client id and window before {@code /oauth2/*} answers 429. */
        @WithDefault("10")
        int maxClientFailures();

        /**
         * Refused refresh tokens (unknown, expired, revoked, reused) per IP and window before
         * {@code /v1/auth/refresh} and the {@code refresh_token} grant answer 429. Higher than the sign-in
         * limit: every browser behind one NAT whose session ended fails one refresh.
         */
        @WithDefault("60")
        int maxRefreshFailuresPerIp();
    }

    interface Client {
        /** {@code sha256:<hex>} or an Argon2id PHC string. */
        Optional<String> secretHash();

        /** A plain secret, for local runs only (a production check warns about it). */
        Optional<String> secret();

        List<String> scopes();

        @WithDefault("client_credentials,refresh_token")
        List<String> grantTypes();

        /** {@code confidential} (authenticates with its secret) or {@code public} (a browser or CLI: PKCE, no secret). */
        @WithDefault("confidential")
        String type();

        /** Shown on the consent page; default the client id. */
        Optional<String> name();

        /** Exact redirect URIs of the authorization endpoint ({@code http} only for loopback addresses). */
        Optional<List<String>> redirectUris();

        /** Exact {@code post_logout_redirect_uri} values of RP-initiated logout. */
        Optional<List<String>> postLogoutRedirectUris();

        /** A first-party client is not shown the consent page. */
        @WithDefault("false")
        boolean firstParty();

        /** Authorization requests only through {@code /oauth2/par} (RFC 9126). */
        @WithDefault("false")
        boolean requirePar();

        /** Where OIDC Back-Channel Logout 1.0 logout tokens are posted. */
        Optional<String> backchannelLogoutUri();

        /** {@code aud} of the access tokens this client gets for users; default {@code latch.auth.token.audience}. */
        Optional<String> audience();
    }

    /** The login page's browser session ({@code latch_session}). */
    BrowserSession browserSession();

    interface BrowserSession {
        /** Absolute lifetime of a login at the login page; a user signs in again after it. */
        @WithDefault("12H")
        Duration ttl();
    }

    /** The OpenID Provider's authorization endpoint. */
    Authorization authorization();

    interface Authorization {
        /** Lifetime of an authorization code (single use). */
        @WithDefault("60S")
        Duration codeTtl();

        /** How long a login or consent page may take before its authorization request is forgotten. */
        @WithDefault("10M")
        Duration requestTtl();

        /** Lifetime of a pushed authorization request's {@code request_uri} (RFC 9126). */
        @WithDefault("60S")
        Duration parTtl();

        /** Lifetime of a device authorization (RFC 8628 {@code expires_in}). */
        @WithDefault("10M")
        Duration deviceCodeTtl();

        /** Minimum polling interval of the device grant (RFC 8628 {@code interval}). */
        @WithDefault("5S")
        Duration deviceInterval();

        /**
         * Public URL of identity-provider-service, whose providers the login page offers (it reads
         * {@code /v1/identity-providers} there); none: the login page offers only username and password.
         */
        Optional<String> brokerUrl();

        /**
         * Where this service itself reads the broker's {@code /v1/identity-providers} (an in-cluster address, say);
         * default {@link #brokerUrl()}.
         */
        Optional<String> brokerApiUrl();

        /** How long the broker's provider list is kept before it is read again (also after a failed read). */
        @WithDefault("30S")
        Duration brokerCacheTtl();

        /** Connect and answer timeout of that read: a slow broker shows no buttons rather than a slow login page. */
        @WithDefault("2S")
        Duration brokerTimeout();

        /**
         * How fresh the session the broker just handed over ({@code latch_refresh}) must be for
         * {@code /v1/auth/federated/continue} to turn it into a login-page session: an older cookie is a
         * session the browser already had, not a login that just happened.
         */
        @WithDefault("2M")
        Duration federatedHandoverMaxAge();
    }
}
