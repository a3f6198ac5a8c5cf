package dev.latch.auth.session;

import dev.latch.common.web.RefreshCookie;
import jakarta.ws.rs.core.NewCookie;
import java.time.Duration;
import java.time.Instant;

/** The {@code latch_refresh} cookie for a refresh token, living exactly as long as its session may. */
public final class RefreshCookies {

    public static final String NAME = RefreshCookie.NAME;

    private RefreshCookies() {
    }

    public static NewCookie of(String token, Instant expiresAt) {
        return RefreshCookie.of(token, Duration.between(Instant.now(), expiresAt).toSeconds());
    }

    public static NewCookie cleared() {
        return RefreshCookie.cleared();
    }
}
