package dev.latch.auth.token;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.key.SigningKeyStore;
import dev.latch.auth.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/** Mints OpenID Connect ID tokens (OIDC Core §2), signed with the active key, as long-lived as access tokens. */
@ApplicationScoped
public class IdTokenIssuer {

    private final AuthConfig config;
    private final SigningKeyStore keys;

    public IdTokenIssuer(AuthConfig config, SigningKeyStore keys) {
        this.config = config;
        this.keys = keys;
    }

    /** What an ID token says about one authentication; {@code nonce}, {@code accessToken} and {@code sid} optional. */
    public record Authentication(
            User user, String clientId, Instant authTime, String amr, String nonce, UUID sid, List<String> scopes) {}

    public String issue(Authentication a, String accessToken) {
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.token().issuer());
        claims.setSubject(a.user().id.toString());
        claims.setAudience(a.clientId());
        claims.setStringClaim("azp", a.clientId());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(
                NumericDate.fromSeconds(now.plus(config.token().accessTtl()).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("auth_time", a.authTime().getEpochSecond());
        if (a.nonce() != null) {
            claims.setStringClaim("nonce", a.nonce());
        }
        if (a.sid() != null) {
            claims.setStringClaim("sid", a.sid().toString());
        }
        claims.setStringListClaim("amr", List.of(a.amr()));
        StandardClaims.write(claims, a.user(), a.scopes());
        return keys.sign(
                algorithm -> {
                    if (accessToken != null) {
                        claims.setStringClaim("at_hash", leftHalfHash(accessToken, algorithm));
                    }
                    return claims.toJson();
                },
                "JWT");
    }

    /** OIDC Core §3.1.3.6: the left half of the hash (of the signing algorithm's size) of the token's ASCII. */
    public static String leftHalfHash(String token, String algorithm) {
        String digest = algorithm.endsWith("384")
                ? "SHA-384"
                : algorithm.endsWith("512") || algorithm.equals("EdDSA") ? "SHA-512" : "SHA-256";
        try {
            byte[] hash = MessageDigest.getInstance(digest).digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, hash.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is missing", e);
        }
    }
}
