package dev.latch.idp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.idp.flow.LoginFailure;
import dev.latch.idp.provider.IdentityProvider;
import dev.latch.idp.provider.ProviderService;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * GitHub (and GitHub Enterprise at {@code baseUrl}): OAuth 2.0 with client_secret_post, the profile from
 * {@code /user} and the email's verification from {@code /user/emails}.
 */
@Singleton
public class GitHubProtocol extends ProtocolSupport {

    private static final Logger LOG = Logger.getLogger(GitHubProtocol.class);

    public GitHubProtocol(ProviderHttp http, ProviderService providers) {
        super(http, providers);
    }

    @Override
    public Endpoints endpoints(IdentityProvider p) {
        String web = p.baseUrl == null ? "https://github.com" : trim(p.baseUrl);
        String api = p.baseUrl == null ? "https://api.github.com" : trim(p.baseUrl) + "/api/v3";
        return new Endpoints(
                null,
                or(p.authorizationUrl, web + "/login/oauth/authorize"),
                or(p.tokenUrl, web + "/login/oauth/access_token"),
                or(p.userInfoUrl, api + "/user"),
                null,
                false,
                false);
    }

    /**
     * The email counts as verified only when {@code /user/emails} lists it as the primary AND verified
     * address (a secondary address may be verified yet belong to an old employer's domain, or be a
     * no-longer-owned address GitHub verified once); when it is null, the primary verified address.
     */
    @Override
    public Profile profile(IdentityProvider p, Endpoints e, Tokens tokens, String expectedNonce) throws LoginFailure {
        JsonNode user = userinfo(p, e, tokens.accessToken());
        JsonNode emails = null;
        try {
            emails = http.getJson(e.userinfo() + "/emails", tokens.accessToken());
        } catch (ProviderHttp.ProviderCallException ex) {
            LOG.debugf("GitHub /user/emails not readable for provider %s: %s", p.id, ex.getMessage());
        }
        String email = FieldMapping.read(user, p.fieldMapping, "email");
        String primaryVerified = null;
        if (emails != null && emails.isArray()) {
            for (JsonNode entry : emails) {
                if (entry.path("primary").asBoolean(false)
                        && entry.path("verified").asBoolean(false)) {
                    primaryVerified = entry.path("email").asText(null);
                }
            }
        }
        if (email == null) {
            email = primaryVerified;
        }
        boolean verified = email != null && email.equalsIgnoreCase(primaryVerified);
        Profile mapped = map(p, user, false);
        String displayName = mapped.displayName();
        if (displayName == null || displayName.equals(mapped.subject())) {
            String login = user.path("login").asText(null);
            displayName = login != null ? login : mapped.subject();
        }
        return new Profile(mapped.subject(), email, verified && email != null, displayName, mapped.avatarUrl());
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
