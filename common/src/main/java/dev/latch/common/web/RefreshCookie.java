package dev.latch.common.web;

import jakarta.ws.rs.core.NewCookie;

/**
 * The {@code latch_refresh} cookie, the same wherever it is set (auth-service at sign-in and refresh,
 * the broker after a provider login): HttpOnly, always Secure (browsers accept it on
 * http://localhost), SameSite=Lax, Path=/v1/auth.
 */
public final class RefreshCookie {

    public static final String NAME = "latch_refresh";
    public static final String PATH = "/v1/auth";

    private RefreshCookie() {
    }

    public static NewCookie of(String token, long maxAgeSeconds) {
        return new NewCookie.Builder(NAME)
                .value(token)
                .path(PATH)
                .maxAge((int) Math.max(0, Math.min(Integer.MAX_VALUE, maxAgeSeconds)))
                .httpOnly(true)
                .secure(true)
                .sameSite(NewCookie.SameSite.LAX)
                .build();
    }

    public static NewCookie cleared() {
        return of("", 0);
    }
}
