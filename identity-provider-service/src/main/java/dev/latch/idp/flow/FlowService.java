package dev.latch.idp.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latch.idp.provider.IdentityProvider;
import dev.latch.idp.provider.ProviderKind;
import dev.latch.idp.provider.ProviderService;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * The provider side of a login: where to send the browser, exchanging the code, verifying the ID
 * token and reading the profile. Failures carry a stable error code that ends up in
 * {@code redirect_to?oauth_error=…}.
 */
@ApplicationScoped
public class FlowService {

    private static final Logger LOG = Logger.getLogger(FlowService.class);
    private static final String[] ID_TOKEN_ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512", "EdDSA"};

    /** A failed login step, with the code the user's app receives. */
    public static final class LoginFailure extends Exception {
        private final String code;

        public LoginFailure(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** The provider's endpoints after kind defaults, overrides and discovery. */
    public record Endpoints(String issuer, String authorization, String token, String userinfo, String jwksUri,
            boolean basicAuth, boolean issParameterSupported) {
    }

    private final ProviderHttp http;
    private final OidcMetadata metadata;
    private final ProviderService providers;
    private final ObjectMapper json;

    public FlowService(ProviderHttp http, OidcMetadata metadata, ProviderService providers, ObjectMapper json) {
        this.http = http;
        this.metadata = metadata;
        this.providers = providers;
        this.json = json;
    }

    public Endpoints endpoints(IdentityProvider p) throws LoginFailure {
        ProviderKind kind = p.providerKind();
        if (kind == ProviderKind.GITHUB) {
            String web = p.baseUrl == null ? "https://github.com" : trim(p.baseUrl);
            String api = p.baseUrl == null ? "https://api.github.com" : trim(p.baseUrl) + "/api/v3";
            return new Endpoints(null, or(p.authorizationUrl, web + "/login/oauth/authorize"),
                    or(p.tokenUrl, web + "/login/oauth/access_token"), or(p.userInfoUrl, api + "/user"), null, false, false);
        }
        if (!kind.oidc()) {
            return new Endpoints(p.issuer, p.authorizationUrl, p.tokenUrl, p.userInfoUrl, null, true, false);
        }
        String issuer = p.issuer != null ? p.issuer : kind.defaultIssuer(p.tenant, p.baseUrl);
        OidcMetadata.Discovery d;
        try {
            d = metadata.discovery(issuer);
        } catch (ProviderHttp.ProviderCallException e) {
            LOG.warnf("discovery of provider %s failed: %s", p.id, e.getMessage());
            throw new LoginFailure("provider_unavailable", e.getMessage());
        }
        boolean basic = d.tokenAuthMethods().contains("client_secret_basic") || !d.tokenAuthMethods().contains("client_secret_post");
        return new Endpoints(d.issuer(), or(p.authorizationUrl, d.authorizationEndpoint()), or(p.tokenUrl, d.tokenEndpoint()),
                or(p.userInfoUrl, d.userinfoEndpoint()), d.jwksUri(), basic, d.issParameterSupported());
    }

    public String authorizationUrl(IdentityProvider p, Endpoints e, String redirectUri, String state, String codeVerifier,
            String nonce) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", p.clientId);
        q.put("redirect_uri", redirectUri);
        q.put("scope", p.scopes == null ? "" : p.scopes);
        q.put("state", state);
        if (codeVerifier != null) {
            q.put("code_challenge", Pkce.challenge(codeVerifier));
            q.put("code_challenge_method", "S256");
        }
        if (nonce != null) {
            q.put("nonce", nonce);
        }
        StringBuilder url = new StringBuilder(e.authorization()).append(e.authorization().contains("?") ? '&' : '?');
        q.forEach((k, v) -> url.append(enc(k)).append('=').append(enc(v)).append('&'));
        url.setLength(url.length() - 1);
        return url.toString();
    }

    /** Exchanges the code, verifies the ID token (OIDC) and reads the profile. */
    public Profile complete(IdentityProvider p, Endpoints e, String code, String redirectUri, String codeVerifier,
            String expectedNonce) throws LoginFailure {
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
            basic = Base64.getEncoder().encodeToString((enc(p.clientId) + ":" + enc(secret == null ? "" : secret))
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
            throw new LoginFailure("token_exchange_failed", ex.getMessage());
        }
        if (token.hasNonNull("error")) {
            throw new LoginFailure("token_exchange_failed", "provider error " + token.path("error").asText());
        }
        String accessToken = token.path("access_token").asText(null);
        if (accessToken == null) {
            throw new LoginFailure("token_exchange_failed", "no access_token");
        }
        ProviderKind kind = p.providerKind();
        if (kind.oidc()) {
            return oidcProfile(p, e, token.path("id_token").asText(null), accessToken, expectedNonce);
        }
        if (kind == ProviderKind.GITHUB) {
            return githubProfile(p, e, accessToken);
        }
        JsonNode user = userinfo(p, e, accessToken);
        return map(p, user, user.path("email_verified").asBoolean(false));
    }

    private Profile oidcProfile(IdentityProvider p, Endpoints e, String idToken, String accessToken, String expectedNonce)
            throws LoginFailure {
        if (idToken == null) {
            throw new LoginFailure("invalid_id_token", "no id_token in the token response");
        }
        JwtClaims claims = verifyIdToken(p, e, idToken, expectedNonce);
        JsonNode merged;
        try {
            merged = json.readTree(claims.toJson());
        } catch (java.io.IOException ex) {
            throw new LoginFailure("invalid_id_token", "unreadable claims");
        }
        if (e.userinfo() != null) {
            JsonNode user = userinfo(p, e, accessToken);
            if (!user.path("sub").asText("").equals(merged.path("sub").asText())) {
                throw new LoginFailure("userinfo_failed", "userinfo sub differs from the ID token's");
            }
            var object = (com.fasterxml.jackson.databind.node.ObjectNode) merged;
            user.properties().forEach(f -> {
                if (!object.has(f.getKey())) {
                    object.set(f.getKey(), f.getValue());
                }
            });
        }
        // Microsoft does not assert email verification; its emails are never treated as verified
        boolean verified = p.providerKind() != ProviderKind.MICROSOFT && merged.path("email_verified").asBoolean(false);
        return map(p, merged, verified);
    }

    JwtClaims verifyIdToken(IdentityProvider p, Endpoints e, String idToken, String expectedNonce) throws LoginFailure {
        String expectedIssuer = e.issuer();
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setVerificationKeyResolver(metadata.keys(e.jwksUri()))
                .setJwsAlgorithmConstraints(new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ID_TOKEN_ALGORITHMS))
                .setExpectedAudience(p.clientId)
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(60);
        // a multi-tenant issuer ({tenantid}) is checked against the token's tid below; the audience is
        // checked in every case (jose4j's setSkipDefaultAudienceValidation would drop that check entirely)
        if (expectedIssuer == null || !expectedIssuer.contains("{tenantid}")) {
            builder.setExpectedIssuer(expectedIssuer);
        }
        JwtConsumer consumer = builder.build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(idToken);
            // jose4j's setRequireSubject accepts an empty sub; the subject is what accounts link by
            if (claims.getSubject() == null || claims.getSubject().isBlank()) {
                throw new LoginFailure("invalid_id_token", "empty sub");
            }
            if (expectedIssuer != null && expectedIssuer.contains("{tenantid}")) {
                String tid = claims.getStringClaimValue("tid");
                if (tid == null || !expectedIssuer.replace("{tenantid}", tid).equals(claims.getIssuer())) {
                    throw new LoginFailure("invalid_id_token", "issuer does not match the tenant");
                }
            }
            if (expectedNonce != null && !expectedNonce.equals(claims.getStringClaimValue("nonce"))) {
                throw new LoginFailure("invalid_id_token", "nonce mismatch");
            }
            var audience = claims.getAudience();
            if (audience.size() > 1 && !p.clientId.equals(claims.getStringClaimValue("azp"))) {
                throw new LoginFailure("invalid_id_token", "azp is not this client");
            }
        } catch (InvalidJwtException | org.jose4j.jwt.MalformedClaimException ex) {
            LOG.infof("ID token from provider %s refused: %s", p.id, ex.getMessage());
            throw new LoginFailure("invalid_id_token", "ID token refused");
        }
        return claims;
    }

    private JsonNode userinfo(IdentityProvider p, Endpoints e, String accessToken) throws LoginFailure {
        if (e.userinfo() == null) {
            throw new LoginFailure("userinfo_failed", "no userinfo endpoint");
        }
        try {
            JsonNode user = http.getJson(e.userinfo(), accessToken);
            if (!user.isObject()) {
                throw new LoginFailure("userinfo_failed", "userinfo is not an object");
            }
            return user;
        } catch (ProviderHttp.ProviderCallException ex) {
            LOG.infof("userinfo of provider %s failed: %s", p.id, ex.getMessage());
            throw new LoginFailure("userinfo_failed", ex.getMessage());
        }
    }

    /**
     * GitHub: {@code /user}; its email counts as verified only when {@code /user/emails} lists it as the
     * primary AND verified address (a secondary address may be verified yet belong to an old employer's
     * domain, or be a no-longer-owned address GitHub verified once); when it is null, the primary
     * verified address from {@code /user/emails}.
     */
    private Profile githubProfile(IdentityProvider p, Endpoints e, String accessToken) throws LoginFailure {
        JsonNode user = userinfo(p, e, accessToken);
        JsonNode emails = null;
        try {
            emails = http.getJson(e.userinfo() + "/emails", accessToken);
        } catch (ProviderHttp.ProviderCallException ex) {
            LOG.debugf("GitHub /user/emails not readable for provider %s: %s", p.id, ex.getMessage());
        }
        String email = FieldMapping.read(user, p.fieldMapping, "email");
        String primaryVerified = null;
        if (emails != null && emails.isArray()) {
            for (JsonNode entry : emails) {
                if (entry.path("primary").asBoolean(false) && entry.path("verified").asBoolean(false)) {
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

    private Profile map(IdentityProvider p, JsonNode claims, boolean emailVerified) throws LoginFailure {
        String subject = FieldMapping.read(claims, p.fieldMapping, "identifier");
        if (subject == null) {
            throw new LoginFailure("missing_identifier", "the mapped identifier is missing");
        }
        String displayName = FieldMapping.read(claims, p.fieldMapping, "displayName");
        String email = FieldMapping.read(claims, p.fieldMapping, "email");
        String avatar = FieldMapping.read(claims, p.fieldMapping, "avatarUrl");
        if (avatar != null && !avatar.startsWith("https://") && !avatar.startsWith("http://")) {
            avatar = null;
        }
        return new Profile(subject, email, emailVerified && email != null, displayName != null ? displayName : subject, avatar);
    }

    private static String or(String a, String b) {
        return a != null ? a : b;
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
