package dev.latch.auth.token;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.key.SigningKeyStore;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/** Mints RFC 9068 access tokens ({@code typ: at+jwt}) signed with the active key. */
@ApplicationScoped
public class AccessTokenIssuer {

    /** First-party sign-in (the Latch API itself) is client {@code latch}. */
    public static final String FIRST_PARTY_CLIENT = "latch";

    private final AuthConfig config;
    private final SigningKeyStore keys;

    public AccessTokenIssuer(AuthConfig config, SigningKeyStore keys) {
        this.config = config;
        this.keys = keys;
    }

    public record Issued(String token, long expiresIn, Instant expiresAt) {}

    public Issued forUser(User user, String clientId, Collection<String> scopes) {
        JwtClaims claims = base(scopes);
        UserClaims.write(claims, user, clientId);
        return sign(claims);
    }

    /** A user's token for a client of the OpenID Provider: {@code aud} the client's own audience when it has one. */
    public Issued forUser(User user, ClientRegistry.Client client, Collection<String> scopes) {
        JwtClaims claims = base(scopes);
        client.audience().ifPresent(claims::setAudience);
        UserClaims.write(claims, user, client.id());
        return sign(claims);
    }

    public Issued forClient(String clientId, Collection<String> scopes) {
        JwtClaims claims = base(scopes);
        claims.setSubject(clientId);
        claims.setStringClaim("client_id", clientId);
        return sign(claims);
    }

    private JwtClaims base(Collection<String> scopes) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.token().issuer());
        claims.setAudience(config.token().audience());
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setStringClaim("scope", String.join(" ", scopes));
        return claims;
    }

    private Issued sign(JwtClaims claims) {
        Instant now = Instant.now();
        Instant exp = now.plus(config.token().accessTtl());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(exp.getEpochSecond()));
        String token = keys.sign(claims.toJson(), "at+jwt");
        return new Issued(token, config.token().accessTtl().toSeconds(), exp);
    }
}
