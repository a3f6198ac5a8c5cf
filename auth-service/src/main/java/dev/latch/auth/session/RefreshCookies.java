package dev.latch.auth.session;

import dev.latch.common.web.RefreshCookie;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code latch_refresh} cookie for a refresh token, living exactly as long as its session may: a plain
 * RFC 6265 {@code Set-Cookie} value (see {@link RefreshCookie}).
 */
public final class RefreshCookies {

    public static final String NAME = RefreshCookie.NAME;

    private RefreshCookies() {}

    public static String of(String token, Instant expiresAt) {
        return RefreshCookie.of(
                token, Duration.between(Instant.now(), expiresAt).toSeconds());
    }

    public static String cleared() {
        return RefreshCookie.cleared();
    }
}
