package dev.latch.auth.pat;

import dev.latch.auth.token.AccessTokenIssuer;
import dev.latch.auth.token.UserClaims;
import dev.latch.auth.user.User;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/** The claims a PAT stands for: its owner and its scopes, shaped like an access token's. */
public final class PatClaims {

    private PatClaims() {}

    public static JwtClaims of(PersonalAccessToken pat, User user) {
        JwtClaims claims = new JwtClaims();
        UserClaims.write(claims, user, AccessTokenIssuer.FIRST_PARTY_CLIENT);
        claims.setStringClaim("scope", pat.scopes);
        claims.setStringClaim("pat_id", pat.id.toString());
        claims.setIssuedAt(NumericDate.fromSeconds(pat.createdAt.getEpochSecond()));
        if (pat.expiresAt != null) {
            claims.setExpirationTime(NumericDate.fromSeconds(pat.expiresAt.getEpochSecond()));
        }
        return claims;
    }
}
