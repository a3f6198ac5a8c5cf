package dev.latch.auth.oauth2.grant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * RFC 6749 §5.1 successful token answer; {@code refresh_token} only from grants that issue one, {@code id_token}
 * (OIDC Core §3.1.3.3) only when {@code openid} was granted.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") String refreshToken,
        String scope,
        @JsonProperty("id_token") String idToken) {

    public static TokenResponse bearer(String accessToken, long expiresIn, String refreshToken, List<String> scopes) {
        return new TokenResponse(accessToken, "Bearer", expiresIn, refreshToken, String.join(" ", scopes), null);
    }

    /** The same answer with an OpenID Connect ID token. */
    public TokenResponse withIdToken(String idToken) {
        return new TokenResponse(accessToken, tokenType, expiresIn, refreshToken, scope, idToken);
    }
}
