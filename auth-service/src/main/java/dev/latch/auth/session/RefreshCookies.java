package dev.latch.auth.session;

import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;
import java.time.Instant;

/** The {@code latch_refresh} cookie: HttpOnly, always Secure (browsers accept it on http://localhost), SameSite=Lax, Path=/v1/auth. */
public final class RefreshCookies {

    public static final String NAME = "latch_refresh";
    public static final String PATH = "/v1/auth";

    private RefreshCookies() {
    }

    public static NewCookie of(String token, Instant expiresAt) {
        long maxAge = Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        return build(token, (int) Math.min(Integer.MAX_VALUE, maxAge));
    }

    public static NewCookie cleared() {
        return build("", 0);
    }

    private static NewCookie build(String value, int maxAge) {
        return new NewCookie.Builder(NAME)
                .value(value)
                .path(PATH)
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(true)
                .sameSite(NewCookie.SameSite.LAX)
                .build();
    }
}
