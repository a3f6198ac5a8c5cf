package dev.latch.auth.oauth2.device;

import java.security.SecureRandom;

/**
 * User codes (RFC 8628 §6.1): 8 characters of 20 consonants (no vowels, so no words; no look-alike digits), about
 * 34.6 bits, shown as {@code XXXX-XXXX} and read back case-insensitively, ignoring dashes and spaces.
 */
final class UserCodes {

    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;

    private static final SecureRandom RANDOM = new SecureRandom();

    private UserCodes() {}

    /** A new code in its shown form. */
    static String generate() {
        StringBuilder code = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** What a person typed, in the shown form; null when it cannot be a user code. */
    static String normalize(String typed) {
        if (typed == null || typed.length() > 32) {
            return null;
        }
        StringBuilder code = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < typed.length(); i++) {
            char c = typed.charAt(i);
            if (c == '-' || Character.isWhitespace(c)) {
                continue;
            }
            // ASCII only: some other letters upper-case to ASCII ones (U+017F to S)
            char upper = c < 128 ? Character.toUpperCase(c) : '?';
            if (ALPHABET.indexOf(upper) < 0 || code.length() == LENGTH + 1) {
                return null;
            }
            if (code.length() == LENGTH / 2) {
                code.append('-');
            }
            code.append(upper);
        }
        return code.length() == LENGTH + 1 ? code.toString() : null;
    }
}
