package dev.latch.idp.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin API body: the contract's provider object. {@code clientSecret} is write-only;
 * {@code clientSecretSet} and {@code firstLoginAt} are read-only.
 *
 * <p>The rules of each field on its own are its constraints, checked by {@link ProviderService} for the admin API and
 * for providers declared in configuration alike; {@code title} and {@code allowedEmailDomains} are checked as stored
 * (trimmed, domains lower-cased). The rules that need the deployment or the stored provider stay in the service: the
 * URLs (their scheme depends on {@code latch.idp.allow-insecure-provider-urls}, their host on the internal-address
 * policy), what a kind requires, and what may change after the first login.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderPayload(
        @NotNull(groups = Creating.class, message = ID_RULE)
        @Pattern(groups = Creating.class, regexp = ID, message = ID_RULE)
        String id,

        @NotNull(groups = Creating.class, message = KIND_RULE) @Pattern(regexp = ProviderKind.IDS, message = KIND_RULE)
        String kind,

        @Size(min = 1, max = 200, message = "title must be 1 to 200 characters.")
        String title,

        @Size(max = 512, message = "clientId is too long.") String clientId,

        @Size(max = 4096, message = "clientSecret is too long.")
        String clientSecret,

        String issuer,

        @Pattern(regexp = "[A-Za-z0-9.-]{1,128}", message = "tenant must be a tenant id or domain.")
        String tenant,

        String baseUrl,
        String authorizationUrl,
        String tokenUrl,
        String userInfoUrl,
        List<@NotNull(message = SCOPES_RULE) @Pattern(regexp = SCOPE, message = SCOPES_RULE) String> scopes,

        Boolean pkce,
        Boolean enabled,
        Map<
                        @Pattern(regexp = MAPPING_KEYS, message = MAPPING_KEYS_RULE) String,
                        @Pattern(regexp = BLANK_OR_CLAIM_PATH, message = MAPPING_PATH_RULE) String>
                fieldMapping,

        Boolean trustEmail,

        @Size(max = 100, message = "allowedEmailDomains holds at most 100 domains.")
        List<@NotNull(message = DOMAIN_RULE) @Pattern(regexp = DOMAIN, message = DOMAIN_RULE) String>
                allowedEmailDomains,

        Boolean allowSignup,
        Boolean clientSecretSet,
        Instant firstLoginAt) {

    /** The constraints that hold only when a provider is created: it needs an id and a kind. */
    public interface Creating {}

    static final String ID = "[a-z0-9][a-z0-9-]{0,63}";
    /** RFC 6749 §3.3 scope-token. */
    static final String SCOPE = "[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}";

    static final String MAPPING_KEYS = "identifier|displayName|email|avatarUrl";
    /**
     * A (dotted) claim path, or blank to drop the kind's default for the key. Blank is {@link String#isBlank}'s
     * whitespace ({@link Character#isWhitespace}), spelt out so that the OpenAPI document's pattern reads the same.
     */
    static final String BLANK_OR_CLAIM_PATH =
            "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000]*"
                    + "|[A-Za-z0-9_:-]+(\\.[A-Za-z0-9_:-]+)*";

    static final String DOMAIN = "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}";

    static final String ID_RULE = "id must be 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit.";
    static final String KIND_RULE =
            "kind must be one of github, google, gitlab, microsoft, okta, auth0, keycloak, oidc, oauth2.";
    static final String SCOPES_RULE = "scopes must be OAuth scope tokens (RFC 6749 §3.3).";
    static final String MAPPING_KEYS_RULE = "fieldMapping keys are identifier, displayName, email and avatarUrl.";
    static final String MAPPING_PATH_RULE = "fieldMapping values must be (dotted) claim paths.";
    static final String DOMAIN_RULE = "allowedEmailDomains must be domain names such as example.com.";

    /** The title and the domains as they are stored, so their constraints check what is stored. */
    public ProviderPayload {
        title = title == null ? null : title.trim();
        allowedEmailDomains = allowedEmailDomains == null
                ? null
                : allowedEmailDomains.stream()
                        .map(d -> d == null ? null : d.trim().toLowerCase(Locale.ROOT))
                        .toList();
    }
}
