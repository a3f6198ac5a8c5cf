package dev.latch.common.auth;

import dev.latch.common.security.PersonalAccessTokens;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * smallrye-jwt's bearer mechanism with Latch's rules: access tokens verified by
 * {@link AccessTokenVerifier}, {@code latch_pat_…} values checked offline for format and checksum,
 * then resolved by {@link PatResolver} (refused when auth-service cannot be asked). The {@code role} claim becomes the caller's group, so
 * {@code @RolesAllowed("ADMIN")} means the same in every service.
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class LatchPrincipalFactory extends JWTCallerPrincipalFactory {

    private static final Logger LOG = Logger.getLogger(LatchPrincipalFactory.class);

    private final LatchJwtConfig config;
    private final AccessTokenVerifier verifier;
    private final PatResolver pats;

    public LatchPrincipalFactory(LatchJwtConfig config, AccessTokenVerifier verifier, PatResolver pats) {
        this.config = config;
        this.verifier = verifier;
        this.pats = pats;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo authContextInfo) throws ParseException {
        if (token == null || token.isEmpty() || token.length() > config.maxTokenLength()) {
            throw new ParseException("bearer value missing or too long");
        }
        JwtClaims claims;
        if (PersonalAccessTokens.looksLikePat(token)) {
            if (!PersonalAccessTokens.isWellFormed(token)) {
                throw new ParseException("malformed personal access token");
            }
            Optional<JwtClaims> resolved;
            try {
                resolved = pats.resolve(token);
            } catch (IntrospectionPatResolver.Unavailable e) {
                // fail closed: a PAT nobody can vouch for is refused like an unknown one (401), not a 500
                throw new ParseException("personal access token could not be checked: " + e.getMessage());
            }
            claims =
                    resolved.orElseThrow(() -> new ParseException("unknown, revoked or expired personal access token"));
            claims.setClaim("token_type", "pat");
        } else {
            try {
                claims = verifier.verify(token);
            } catch (InvalidJwtException e) {
                LOG.debugf("access token refused: %s", e.getMessage());
                throw new ParseException("invalid access token");
            }
        }
        Object role = claims.getClaimValue("role");
        if (role instanceof String r) {
            claims.setStringListClaim("groups", List.of(r));
        } else {
            claims.unsetClaim("groups");
        }
        return new DefaultJWTCallerPrincipal(token, "JWT", claims);
    }
}
