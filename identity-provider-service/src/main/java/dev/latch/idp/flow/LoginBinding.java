package dev.latch.idp.flow;

import dev.latch.common.security.SecureTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The value of the {@code latch_oauth} cookie that binds a login state to the browser that started it
 * (login-CSRF defence): hashes of the states this browser started, most recent last, separated by dots.
 * Several logins may be under way in one browser at once (tabs whose session expired together each
 * start one), so a new login adds its hash rather than replacing the others; the oldest are dropped
 * beyond {@link #MAX_LOGINS}, and a callback removes its own.
 */
final class LoginBinding {

    /** Logins one browser may have under way at once. */
    static final int MAX_LOGINS = 5;

    private static final Pattern HASH = Pattern.compile("[A-Za-z0-9_-]{43}");

    private LoginBinding() {}

    /** The hash of a state as it appears in the cookie. */
    static String of(String state) {
        return SecureTokens.base64Url(SecureTokens.sha256("latch.oauth.binding:" + state));
    }

    /** The cookie value after this browser starts a login for {@code state}. */
    static String add(String cookie, String state) {
        List<String> hashes = hashes(cookie);
        hashes.add(of(state));
        return String.join(".", hashes.subList(Math.max(0, hashes.size() - MAX_LOGINS), hashes.size()));
    }

    /** Whether this browser started the login for {@code state}. */
    static boolean contains(String cookie, String state) {
        String expected = of(state);
        boolean found = false;
        for (String hash : hashes(cookie)) {
            found |= SecureTokens.constantTimeEquals(expected, hash);
        }
        return found;
    }

    /** The cookie value once the login for {@code state} is over; empty when none is left. */
    static String remove(String cookie, String state) {
        String done = of(state);
        List<String> hashes = hashes(cookie);
        hashes.removeIf(done::equals);
        return String.join(".", hashes);
    }

    /** The well-formed hashes of a cookie value, without duplicates; anything else is ignored. */
    private static List<String> hashes(String cookie) {
        List<String> hashes = new ArrayList<>();
        if (cookie == null || cookie.length() > (MAX_LOGINS + 1) * 44) {
            return hashes;
        }
        for (String part : cookie.split("\\.")) {
            if (HASH.matcher(part).matches() && !hashes.contains(part)) {
                hashes.add(part);
            }
        }
        return hashes;
    }
}
