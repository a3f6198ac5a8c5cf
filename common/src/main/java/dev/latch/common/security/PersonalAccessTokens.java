package dev.latch.common.security;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The PAT format: {@code latch_pat_} + 32 random base62 characters + 6 base62 characters of the
 * CRC32 (IEEE) of those 32, so secret scanners and every service can reject a mistyped or made-up
 * token offline, before any lookup.
 */
public final class PersonalAccessTokens {

    public static final String PREFIX = "latch_pat_";
    public static final int RANDOM_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;

    private PersonalAccessTokens() {}

    public static String generate() {
        String random = SecureTokens.randomBase62(RANDOM_LENGTH);
        return PREFIX + random + checksum(random);
    }

    public static String checksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        return SecureTokens.base62(crc.getValue(), CHECKSUM_LENGTH);
    }

    public static boolean looksLikePat(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Format and checksum only; says nothing about whether the token exists. */
    public static boolean isWellFormed(String value) {
        if (value == null || value.length() != LENGTH || !value.startsWith(PREFIX)) {
            return false;
        }
        String body = value.substring(PREFIX.length());
        if (!SecureTokens.isBase62(body)) {
            return false;
        }
        String random = body.substring(0, RANDOM_LENGTH);
        String check = body.substring(RANDOM_LENGTH);
        return SecureTokens.constantTimeEquals(checksum(random), check);
    }
}
