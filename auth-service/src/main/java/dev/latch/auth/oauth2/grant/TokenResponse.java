package dev.latch.auth.oauth2.grant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** RFC 6749 §5.1 successful token answer; {@code refresh_token} only from grants that issue one. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") String refreshToken,
        String scope) {

    public static TokenResponse bearer(String accessToken, long expiresIn, String refreshToken, List<String> scopes) {
        return new TokenResponse(accessToken, "Bearer", expiresIn, refreshToken, String.join(" ", scopes));
    }
}
