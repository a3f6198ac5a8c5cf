package dev.latch.auth.browser;

import dev.latch.common.security.SecureTokens;
import dev.latch.common.web.SetCookie;

/**
 * Double-submit CSRF tokens of the login, consent, device and logout forms: a random value in the
 * {@code latch_csrf} cookie (HttpOnly, SameSite=Lax) and the same value in the form's hidden {@code csrf} field.
 * Another site can make a browser post a form, but cannot read or set this site's cookie, so it cannot send the
 * matching pair. The cookie is kept across pages, so several tabs of the same browser all work.
 */
public final class Csrf {

    public static final String COOKIE = "latch_csrf";

    private Csrf() {}

    /** The browser's token if it has a well-formed one, else a new one (to be set with {@link #setCookie}). */
    public static String tokenFor(String cookie) {
        return wellFormed(cookie) ? cookie : SecureTokens.randomBase64Url(24);
    }

    /** The {@code Set-Cookie} value for {@code token}; the cookie lives for the browser's session. */
    public static String setCookie(String token) {
        return SetCookie.httpOnlyLax(COOKIE, token, "/", 12 * 3600);
    }

    /** Whether the form's field matches the browser's cookie. */
    public static boolean matches(String cookie, String field) {
        return wellFormed(cookie) && field != null && SecureTokens.constantTimeEquals(cookie, field);
    }

    private static boolean wellFormed(String token) {
        return token != null && token.matches("[A-Za-z0-9_-]{32}");
    }
}
