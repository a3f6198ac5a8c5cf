package dev.latch.common.web;

/**
 * The {@code latch_refresh} cookie, the same wherever it is set (auth-service at sign-in and refresh,
 * the broker after a provider login): HttpOnly, always Secure (browsers accept it on
 * http://localhost), SameSite=Lax, Path=/v1/auth — a plain RFC 6265 {@code Set-Cookie} value (no
 * {@code Version}), to be sent with {@code header("Set-Cookie", …)}.
 */
public final class RefreshCookie {

    public static final String NAME = "latch_refresh";
    public static final String PATH = "/v1/auth";

    private RefreshCookie() {}

    /** The {@code Set-Cookie} value holding {@code token} for {@code maxAgeSeconds} (at least 0). */
    public static String of(String token, long maxAgeSeconds) {
        return SetCookie.httpOnlyLax(NAME, token, PATH, maxAgeSeconds);
    }

    /** The {@code Set-Cookie} value that deletes the cookie. */
    public static String cleared() {
        return of("", 0);
    }
}
