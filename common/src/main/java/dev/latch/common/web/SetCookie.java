package dev.latch.common.web;

import java.util.regex.Pattern;

/**
 * A {@code Set-Cookie} header value as RFC 6265 defines it: {@code name=value; Max-Age=N; Path=/p; Secure;
 * HttpOnly; SameSite=Lax}, and nothing else. JAX-RS {@code NewCookie} is not used for this: it renders the
 * obsolete RFC 2109 {@code Version=1} attribute, which RFC 6265 browsers ignore and scanners flag.
 */
public final class SetCookie {

    /** RFC 6265 token (cookie name) and cookie-octet (value) characters. */
    private static final Pattern NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    private static final Pattern VALUE = Pattern.compile("[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]*");
    private static final Pattern PATH = Pattern.compile("/[\\x20-\\x3A\\x3C-\\x7E]*");

    private SetCookie() {}

    /**
     * An HttpOnly, Secure, SameSite=Lax cookie; {@code maxAgeSeconds} 0 deletes it.
     *
     * @throws IllegalArgumentException for a name, value or path that would not stay one cookie
     */
    public static String httpOnlyLax(String name, String value, String path, long maxAgeSeconds) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a cookie name: " + name);
        }
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("cookie " + name + ": the value has characters a cookie cannot carry");
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("cookie " + name + ": not a cookie path: " + path);
        }
        return name + "=" + value + "; Max-Age=" + Math.max(0, maxAgeSeconds) + "; Path=" + path
                + "; Secure; HttpOnly; SameSite=Lax";
    }
}
