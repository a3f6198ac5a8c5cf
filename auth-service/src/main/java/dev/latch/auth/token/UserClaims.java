package dev.latch.auth.token;

import dev.latch.auth.user.User;
import org.jose4j.jwt.JwtClaims;

/**
 * The one place that writes what a token says about its user and client: access tokens and the claims a PAT
 * resolves to carry the same {@code sub}, {@code username}, {@code role}, {@code status} and {@code client_id}.
 */
public final class UserClaims {

    private UserClaims() {}

    public static void write(JwtClaims claims, User user, String clientId) {
        claims.setSubject(user.id.toString());
        claims.setStringClaim("username", user.username);
        claims.setStringClaim("role", user.role.name());
        claims.setStringClaim("status", user.status.name());
        claims.setStringClaim("client_id", clientId);
    }
}
