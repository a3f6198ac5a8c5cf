package dev.latch.auth.browser;

import dev.latch.common.web.SetCookie;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code latch_session} cookie of the login page: HttpOnly, Secure (browsers accept it on http://localhost),
 * SameSite=Lax, Path=/, living exactly as long as its browser session.
 */
public final class SessionCookie {

    public static final String NAME = "latch_session";

    private SessionCookie() {}

    public static String of(String token, Instant expiresAt) {
        return SetCookie.httpOnlyLax(
                NAME, token, "/", Duration.between(Instant.now(), expiresAt).toSeconds());
    }

    public static String cleared() {
        return SetCookie.httpOnlyLax(NAME, "", "/", 0);
    }
}
