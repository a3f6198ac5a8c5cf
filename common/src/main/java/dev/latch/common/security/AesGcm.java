package dev.latch.common.security;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets kept at rest (generated signing keys, provider client secrets). Output is
 * {@code version(1) || nonce(12) || ciphertext+tag}; {@code context} is bound as associated data so a
 * ciphertext cannot be moved to another row or purpose.
 */
public final class AesGcm {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;

    public AesGcm(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key is 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** From base64 or base64url of 32 bytes, as configuration gives it. */
    public static AesGcm fromBase64(String encoded) {
        String trimmed = encoded.trim();
        byte[] raw = trimmed.contains("-") || trimmed.contains("_")
                ? Base64.getUrlDecoder().decode(trimmed)
                : Base64.getDecoder().decode(trimmed);
        return new AesGcm(raw);
    }

    public byte[] encrypt(byte[] plaintext, String context) {
        try {
            byte[] nonce = SecureTokens.randomBytes(NONCE_BYTES);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length)
                    .put(VERSION)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** @throws IllegalArgumentException when the ciphertext was altered, or made with another key or context */
    public byte[] decrypt(byte[] ciphertext, String context) {
        if (ciphertext == null || ciphertext.length < 1 + NONCE_BYTES + TAG_BITS / 8 || ciphertext[0] != VERSION) {
            throw new IllegalArgumentException("not an AES-GCM ciphertext of this format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 1, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(ciphertext, 1 + NONCE_BYTES, ciphertext.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the ciphertext does not decrypt with this key and context");
        }
    }
}
