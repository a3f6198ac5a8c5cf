package dev.latch.auth.oauth2.introspect;

import dev.latch.auth.user.UserStatusCache;
import dev.latch.common.auth.AccessTokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Access tokens (compact JWS): live while the signature, issuer, audience and lifetime verify and, for a user's
 * token, the user is still active (from {@link UserStatusCache}, not a database read per call).
 */
@ApplicationScoped
public class AccessTokenIntrospector implements Introspector {

    private final AccessTokenVerifier verifier;
    private final UserStatusCache userStatus;

    public AccessTokenIntrospector(AccessTokenVerifier verifier, UserStatusCache userStatus) {
        this.verifier = verifier;
        this.userStatus = userStatus;
    }

    @Override
    public String hint() {
        return "access_token";
    }

    @Override
    public boolean accepts(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    @Override
    public Optional<Map<String, Object>> introspect(String token) {
        try {
            JwtClaims claims = verifier.verify(token);
            // a client's own token has no username and no user to be disabled
            if (claims.getClaimValue("username") != null
                    && !userStatus.isActive(UUID.fromString(claims.getSubject()))) {
                return Optional.empty();
            }
            return Optional.of(IntrospectionClaims.active(claims, hint()));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
