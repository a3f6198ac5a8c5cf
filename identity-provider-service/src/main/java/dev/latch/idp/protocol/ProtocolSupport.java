package dev.latch.idp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.idp.flow.LoginError;
import dev.latch.idp.flow.LoginFailure;
import dev.latch.idp.provider.IdentityProvider;
import dev.latch.idp.provider.ProviderService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/** What every protocol shares: the RFC 6749 code exchange, userinfo and the field mapping. */
abstract class ProtocolSupport implements ProviderProtocol {

    private static final Logger LOG = Logger.getLogger(ProtocolSupport.class);

    protected final ProviderHttp http;
    private final ProviderService providers;

    ProtocolSupport(ProviderHttp http, ProviderService providers) {
        this.http = http;
        this.providers = providers;
    }

    @Override
    public Tokens exchange(IdentityProvider p, Endpoints e, String code, String redirectUri, String codeVerifier)
            throws LoginFailure {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        if (codeVerifier != null) {
            form.put("code_verifier", codeVerifier);
        }
        String secret = providers.clientSecret(p);
        String basic = null;
        if (e.basicAuth()) {
            basic = Base64.getEncoder()
                    .encodeToString((ProviderProtocol.enc(p.clientId) + ":"
                                    + ProviderProtocol.enc(secret == null ? "" : secret))
                            .getBytes(StandardCharsets.UTF_8));
        } else {
            form.put("client_id", p.clientId);
            if (secret != null) {
                form.put("client_secret", secret);
            }
        }
        JsonNode token;
        try {
            token = http.postForm(e.token(), form, basic);
        } catch (ProviderHttp.ProviderCallException ex) {
            LOG.infof("code exchange with provider %s failed: %s", p.id, ex.getMessage());
            throw new LoginFailure(LoginError.TOKEN_EXCHANGE_FAILED, ex.getMessage());
        }
        if (token.hasNonNull("error")) {
            throw new LoginFailure(
                    LoginError.TOKEN_EXCHANGE_FAILED,
                    "provider error " + token.path("error").asText());
        }
        String accessToken = token.path("access_token").asText(null);
        if (accessToken == null) {
            throw new LoginFailure(LoginError.TOKEN_EXCHANGE_FAILED, "no access_token");
        }
        return new Tokens(accessToken, token.path("id_token").asText(null));
    }

    protected JsonNode userinfo(IdentityProvider p, Endpoints e, String accessToken) throws LoginFailure {
        if (e.userinfo() == null) {
            throw new LoginFailure(LoginError.USERINFO_FAILED, "no userinfo endpoint");
        }
        try {
            JsonNode user = http.getJson(e.userinfo(), accessToken);
            if (!user.isObject()) {
                throw new LoginFailure(LoginError.USERINFO_FAILED, "userinfo is not an object");
            }
            return user;
        } catch (ProviderHttp.ProviderCallException ex) {
            LOG.infof("userinfo of provider %s failed: %s", p.id, ex.getMessage());
            throw new LoginFailure(LoginError.USERINFO_FAILED, ex.getMessage());
        }
    }

    protected static Profile map(IdentityProvider p, JsonNode claims, boolean emailVerified) throws LoginFailure {
        String subject = FieldMapping.read(claims, p.fieldMapping, "identifier");
        if (subject == null) {
            throw new LoginFailure(LoginError.MISSING_IDENTIFIER, "the mapped identifier is missing");
        }
        String displayName = FieldMapping.read(claims, p.fieldMapping, "displayName");
        String email = FieldMapping.read(claims, p.fieldMapping, "email");
        String avatar = FieldMapping.read(claims, p.fieldMapping, "avatarUrl");
        if (avatar != null && !avatar.startsWith("https://") && !avatar.startsWith("http://")) {
            avatar = null;
        }
        return new Profile(
                subject, email, emailVerified && email != null, displayName != null ? displayName : subject, avatar);
    }

    protected static String or(String a, String b) {
        return a != null ? a : b;
    }
}
