package dev.latch.idp.provider;

import java.util.List;
import java.util.Map;

/**
 * What each kind of provider needs and its defaults, so an admin supplies only the client id and
 * secret (and the tenant, domain or issuer where the provider has one).
 */
public enum ProviderKind {
    GITHUB("github", false, List.of("read:user", "user:email"), Map.of("identifier", "id", "displayName", "name",
            "email", "email", "avatarUrl", "avatar_url")),
    GOOGLE("google", true, List.of("openid", "email", "profile"), oidcMapping()),
    GITLAB("gitlab", true, List.of("openid", "profile", "email"), oidcMapping()),
    MICROSOFT("microsoft", true, List.of("openid", "profile", "email"), Map.of("identifier", "sub", "displayName", "name",
            "email", "email")),
    OKTA("okta", true, List.of("openid", "profile", "email"), oidcMapping()),
    AUTH0("auth0", true, List.of("openid", "profile", "email"), oidcMapping()),
    KEYCLOAK("keycloak", true, List.of("openid", "profile", "email"), oidcMapping()),
    OIDC("oidc", true, List.of("openid", "profile", "email"), oidcMapping()),
    OAUTH2("oauth2", false, List.of(), Map.of());

    private final String id;
    private final boolean oidc;
    private final List<String> defaultScopes;
    private final Map<String, String> defaultMapping;

    ProviderKind(String id, boolean oidc, List<String> defaultScopes, Map<String, String> defaultMapping) {
        this.id = id;
        this.oidc = oidc;
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

    /** Discovery document, JWKS and a verified ID token. */
    public boolean oidc() {
        return oidc;
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
