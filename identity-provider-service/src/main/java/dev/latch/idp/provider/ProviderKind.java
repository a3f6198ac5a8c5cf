package dev.latch.idp.provider;

import dev.latch.idp.protocol.GitHubProtocol;
import dev.latch.idp.protocol.MicrosoftProtocol;
import dev.latch.idp.protocol.OAuth2Protocol;
import dev.latch.idp.protocol.OidcProtocol;
import dev.latch.idp.protocol.ProviderProtocol;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What each kind of provider needs: its protocol, title and defaults, so an admin supplies only the client id and
 * secret (and the tenant, domain or issuer where the provider has one).
 */
public enum ProviderKind {
    GITHUB(
            "github",
            "GitHub",
            GitHubProtocol.class,
            List.of("read:user", "user:email"),
            Map.of("identifier", "id", "displayName", "name", "email", "email", "avatarUrl", "avatar_url")),
    GOOGLE("google", "Google", OidcProtocol.class, List.of("openid", "email", "profile"), oidcMapping()),
    GITLAB("gitlab", "GitLab", OidcProtocol.class, List.of("openid", "profile", "email"), oidcMapping()),
    MICROSOFT(
            "microsoft",
            "Microsoft",
            MicrosoftProtocol.class,
            List.of("openid", "profile", "email"),
            Map.of("identifier", "sub", "displayName", "name", "email", "email")),
    OKTA("okta", "Okta", OidcProtocol.class, List.of("openid", "profile", "email"), oidcMapping()),
    AUTH0("auth0", "Auth0", OidcProtocol.class, List.of("openid", "profile", "email"), oidcMapping()),
    KEYCLOAK("keycloak", "Keycloak", OidcProtocol.class, List.of("openid", "profile", "email"), oidcMapping()),
    OIDC("oidc", null, OidcProtocol.class, List.of("openid", "profile", "email"), oidcMapping()),
    OAUTH2("oauth2", null, OAuth2Protocol.class, List.of(), Map.of());

    /** Every kind's id, as a pattern the admin body's {@code kind} must match; checked against the kinds at start. */
    public static final String IDS = "github|google|gitlab|microsoft|okta|auth0|keycloak|oidc|oauth2";

    static {
        String ids = java.util.Arrays.stream(values()).map(ProviderKind::id).collect(Collectors.joining("|"));
        if (!IDS.equals(ids)) {
            throw new IllegalStateException("ProviderKind.IDS must be " + ids);
        }
    }

    private final String id;
    private final String title;
    private final Class<? extends ProviderProtocol> protocol;
    private final List<String> defaultScopes;
    private final Map<String, String> defaultMapping;

    ProviderKind(
            String id,
            String title,
            Class<? extends ProviderProtocol> protocol,
            List<String> defaultScopes,
            Map<String, String> defaultMapping) {
        this.id = id;
        this.title = title;
        this.protocol = protocol;
        this.defaultScopes = defaultScopes;
        this.defaultMapping = defaultMapping;
    }

    private static Map<String, String> oidcMapping() {
        return Map.of("identifier", "sub", "displayName", "name", "email", "email", "avatarUrl", "picture");
    }

    public String id() {
        return id;
    }

    /**
     * Whether the kind's emails may link accounts unless an admin says otherwise: only Google and
     * GitHub verify every address they assert; any other issuer is run by whoever runs it.
     */
    public boolean trustsEmailByDefault() {
        return this == GOOGLE || this == GITHUB;
    }

    /** The title a login page shows when the admin gives none; null for generic kinds (the id is shown). */
    public String title() {
        return title;
    }

    /** How a login with this kind runs. */
    public Class<? extends ProviderProtocol> protocol() {
        return protocol;
    }

    /** Discovery document, JWKS and a verified ID token. */
    public boolean oidc() {
        return OidcProtocol.class.isAssignableFrom(protocol);
    }

    public List<String> defaultScopes() {
        return defaultScopes;
    }

    public Map<String, String> defaultMapping() {
        return defaultMapping;
    }

    /** The issuer the kind implies, or null when the admin must give one. */
    public String defaultIssuer(String tenant, String baseUrl) {
        return switch (this) {
            case GOOGLE -> "https://accounts.google.com";
            case GITLAB -> trimSlash(baseUrl == null ? "https://gitlab.com" : baseUrl);
            case MICROSOFT -> "https://login.microsoftonline.com/" + (tenant == null ? "common" : tenant) + "/v2.0";
            default -> null;
        };
    }

    public boolean needsIssuer() {
        return this == OKTA || this == AUTH0 || this == KEYCLOAK || this == OIDC;
    }

    public static ProviderKind of(String id) {
        for (ProviderKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        return null;
    }

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
