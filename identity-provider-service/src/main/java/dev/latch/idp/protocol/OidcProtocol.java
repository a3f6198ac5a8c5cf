package dev.latch.idp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latch.idp.flow.LoginError;
import dev.latch.idp.flow.LoginFailure;
import dev.latch.idp.provider.IdentityProvider;
import dev.latch.idp.provider.ProviderService;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * OpenID Connect: endpoints from discovery (the admin's overrides first), a verified ID token, its claims
 * completed by userinfo, {@code email_verified} as the provider asserts it.
 */
@Singleton
public class OidcProtocol extends ProtocolSupport {

    private static final Logger LOG = Logger.getLogger(OidcProtocol.class);
    private static final String[] ID_TOKEN_ALGORITHMS = {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"
    };

    private final OidcMetadata metadata;
    private final ObjectMapper json;

    public OidcProtocol(ProviderHttp http, ProviderService providers, OidcMetadata metadata, ObjectMapper json) {
        super(http, providers);
        this.metadata = metadata;
        this.json = json;
    }

    @Override
    public Endpoints endpoints(IdentityProvider p) throws LoginFailure {
        String issuer = p.issuer != null ? p.issuer : p.providerKind().defaultIssuer(p.tenant, p.baseUrl);
        OidcMetadata.Discovery d;
        try {
            d = metadata.discovery(issuer);
        } catch (ProviderHttp.ProviderCallException e) {
            LOG.warnf("discovery of provider %s failed: %s", p.id, e.getMessage());
            throw new LoginFailure(LoginError.PROVIDER_UNAVAILABLE, e.getMessage());
        }
        boolean basic = d.tokenAuthMethods().contains("client_secret_basic")
                || !d.tokenAuthMethods().contains("client_secret_post");
        return new Endpoints(
                d.issuer(),
                or(p.authorizationUrl, d.authorizationEndpoint()),
                or(p.tokenUrl, d.tokenEndpoint()),
                or(p.userInfoUrl, d.userinfoEndpoint()),
                d.jwksUri(),
                basic,
                d.issParameterSupported());
    }

    @Override
    public Profile profile(IdentityProvider p, Endpoints e, Tokens tokens, String expectedNonce) throws LoginFailure {
        if (tokens.idToken() == null) {
            throw new LoginFailure(LoginError.INVALID_ID_TOKEN, "no id_token in the token response");
        }
        JwtClaims claims = verifyIdToken(p, e, tokens.idToken(), expectedNonce);
        JsonNode merged;
        try {
            merged = json.readTree(claims.toJson());
        } catch (java.io.IOException ex) {
            throw new LoginFailure(LoginError.INVALID_ID_TOKEN, "unreadable claims");
        }
        if (e.userinfo() != null) {
            JsonNode user = userinfo(p, e, tokens.accessToken());
            if (!user.path("sub").asText("").equals(merged.path("sub").asText())) {
                throw new LoginFailure(LoginError.USERINFO_FAILED, "userinfo sub differs from the ID token's");
            }
            ObjectNode object = (ObjectNode) merged;
            user.properties().forEach(f -> {
                if (!object.has(f.getKey())) {
                    object.set(f.getKey(), f.getValue());
                }
            });
        }
        return map(p, merged, emailVerified(merged));
    }

    /** Whether the provider asserts the email verified. */
    protected boolean emailVerified(JsonNode claims) {
        return claims.path("email_verified").asBoolean(false);
    }

    private JwtClaims verifyIdToken(IdentityProvider p, Endpoints e, String idToken, String expectedNonce)
            throws LoginFailure {
        String expectedIssuer = e.issuer();
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setVerificationKeyResolver(metadata.keys(e.jwksUri()))
                .setJwsAlgorithmConstraints(
                        new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ID_TOKEN_ALGORITHMS))
                .setExpectedAudience(p.clientId)
                .setRequireExpirationTime()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(60);
        // a multi-tenant issuer ({tenantid}) is checked against the token's tid below; the audience is
        // checked in every case (jose4j's setSkipDefaultAudienceValidation would drop that check entirely)
        if (expectedIssuer == null || !expectedIssuer.contains("{tenantid}")) {
            builder.setExpectedIssuer(expectedIssuer);
        }
        JwtClaims claims;
        try {
            claims = builder.build().processToClaims(idToken);
            // jose4j's setRequireSubject accepts an empty sub; the subject is what accounts link by
            if (claims.getSubject() == null || claims.getSubject().isBlank()) {
                throw new LoginFailure(LoginError.INVALID_ID_TOKEN, "empty sub");
            }
            if (expectedIssuer != null && expectedIssuer.contains("{tenantid}")) {
                String tid = claims.getStringClaimValue("tid");
                if (tid == null || !expectedIssuer.replace("{tenantid}", tid).equals(claims.getIssuer())) {
                    throw new LoginFailure(LoginError.INVALID_ID_TOKEN, "issuer does not match the tenant");
                }
            }
            if (expectedNonce != null && !expectedNonce.equals(claims.getStringClaimValue("nonce"))) {
                throw new LoginFailure(LoginError.INVALID_ID_TOKEN, "nonce mismatch");
            }
            if (claims.getAudience().size() > 1 && !p.clientId.equals(claims.getStringClaimValue("azp"))) {
                throw new LoginFailure(LoginError.INVALID_ID_TOKEN, "azp is not this client");
            }
        } catch (InvalidJwtException | MalformedClaimException ex) {
            LOG.infof("ID token from provider %s refused: %s", p.id, ex.getMessage());
            throw new LoginFailure(LoginError.INVALID_ID_TOKEN, "ID token refused");
        }
        return claims;
    }
}
