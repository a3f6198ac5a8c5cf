package dev.latch.common.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random secrets, their encodings and the comparisons that must not leak timing. */
public final class SecureTokens {

    public static final String BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SecureTokens() {}

    public static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** {@code byteLength} random bytes, base64url without padding. */
    public static String randomBase64Url(int byteLength) {
        return base64Url(randomBytes(byteLength));
    }

    /** {@code length} characters drawn uniformly from {@link #BASE62_ALPHABET} (≈ 5.95 bits each). */
    public static String randomBase62(int length) {
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            // rejection sampling: 248 = 4 * 62, so bytes below it map uniformly
            int b = RANDOM.nextInt(256);
            if (b < 248) {
                sb.append(BASE62_ALPHABET.charAt(b % 62));
            }
        }
        return sb.toString();
    }

    public static String base64Url(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    public static byte[] fromBase64Url(String value) {
        return Base64.getUrlDecoder().decode(value);
    }

    /** {@code value} in base62 ({@code 0-9A-Za-z}), most significant digit first, left-padded with '0'. */
    public static String base62(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value");
        }
        char[] out = new char[Math.max(width, 11)];
        int pos = out.length;
        long v = value;
        do {
            out[--pos] = BASE62_ALPHABET.charAt((int) (v % 62));
            v /= 62;
        } while (v > 0);
        while (out.length - pos < width) {
            out[--pos] = '0';
        }
        return new String(out, pos, out.length - pos);
    }

    public static boolean isBase62(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (BASE62_ALPHABET.indexOf(value.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    public static byte[] sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    /** Compares in time that depends only on the lengths, never on where the values differ. */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
