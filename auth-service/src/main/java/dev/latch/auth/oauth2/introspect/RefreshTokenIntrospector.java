package dev.latch.auth.oauth2.introspect;

import dev.latch.auth.session.RefreshTokenService;
import dev.latch.common.security.PersonalAccessTokens;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Refresh tokens (opaque, neither a PAT nor a JWS): live while unrotated, unrevoked, unexpired, user active. */
@ApplicationScoped
public class RefreshTokenIntrospector implements Introspector {

    private final RefreshTokenService refreshTokens;

    public RefreshTokenIntrospector(RefreshTokenService refreshTokens) {
        this.refreshTokens = refreshTokens;
    }

    @Override
    public String hint() {
        return "refresh_token";
    }

    @Override
    public boolean accepts(String token) {
        return !PersonalAccessTokens.looksLikePat(token) && token.indexOf('.') < 0;
    }

    @Override
    public Optional<Map<String, Object>> introspect(String token) {
        return refreshTokens.lookup(token).map(info -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("active", true);
            body.put("token_use", hint());
            body.put("sub", info.userId().toString());
            body.put("username", info.username());
            body.put("client_id", info.clientId());
            body.put("scope", info.scope());
            body.put("iat", info.issuedAt().getEpochSecond());
            body.put("exp", info.expiresAt().getEpochSecond());
            body.put("sid", info.familyId().toString());
            return body;
        });
    }
}
