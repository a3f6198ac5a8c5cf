package dev.latch.auth.token;

import dev.latch.auth.user.User;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.jose4j.jwt.JwtClaims;

/**
 * The OIDC standard claims (Core §5.1) a user's ID token and UserInfo answer carry, by granted scope (§5.4):
 * {@code profile} gives {@code preferred_username}, {@code name} and {@code picture}; {@code email} gives
 * {@code email} and {@code email_verified}. A claim the user has no value for is left out.
 */
public final class StandardClaims {

    private StandardClaims() {}

    public static Map<String, Object> of(User user, Collection<String> scopes) {
        Map<String, Object> claims = new TreeMap<>();
        if (scopes.contains("profile")) {
            claims.put("preferred_username", user.username);
            claims.put("name", user.displayName != null ? user.displayName : user.username);
            if (user.avatarUrl != null) {
                claims.put("picture", user.avatarUrl);
            }
        }
        if (scopes.contains("email") && user.email != null) {
            claims.put("email", user.email);
            claims.put("email_verified", user.emailVerified);
        }
        return claims;
    }

    public static void write(JwtClaims claims, User user, Collection<String> scopes) {
        of(user, scopes).forEach(claims::setClaim);
    }
}
