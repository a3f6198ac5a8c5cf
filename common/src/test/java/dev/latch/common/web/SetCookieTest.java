package dev.latch.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SetCookieTest {

    @Test
    void refreshCookieIsAPlainRfc6265CookieWithExactlyItsAttributes() {
        assertEquals(
                "latch_refresh=abc-DEF_123; Max-Age=2592000; Path=/v1/auth; Secure; HttpOnly; SameSite=Lax",
                RefreshCookie.of("abc-DEF_123", 2_592_000));
        assertEquals(
                "latch_refresh=; Max-Age=0; Path=/v1/auth; Secure; HttpOnly; SameSite=Lax", RefreshCookie.cleared());
        assertEquals(
                "latch_refresh=x; Max-Age=0; Path=/v1/auth; Secure; HttpOnly; SameSite=Lax", RefreshCookie.of("x", -5));
        assertFalse(RefreshCookie.of("x", 10).toLowerCase().contains("version"));
    }

    @Test
    void valuesThatWouldBreakTheHeaderAreRefused() {
        for (String value : new String[] {"a;b", "a b", "a,b", "a\"b", "a\\b", "a\r\nSet-Cookie: x=y", "é"}) {
            assertThrows(IllegalArgumentException.class, () -> SetCookie.httpOnlyLax("n", value, "/", 1), value);
        }
        assertThrows(IllegalArgumentException.class, () -> SetCookie.httpOnlyLax("n", null, "/", 1));
        assertThrows(IllegalArgumentException.class, () -> SetCookie.httpOnlyLax("a=b", "v", "/", 1));
        assertThrows(IllegalArgumentException.class, () -> SetCookie.httpOnlyLax("n", "v", "/a;Domain=evil", 1));
        assertThrows(IllegalArgumentException.class, () -> SetCookie.httpOnlyLax("n", "v", "relative", 1));
    }
}
