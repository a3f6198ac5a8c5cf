package dev.latch.storage.config;

import dev.latch.common.error.ProblemException;
import dev.latch.common.security.AesGcm;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * The two secrets of this service: the HMAC key of signed {@code /file/…} URLs (required: the
 * service does not start without it, since a known key would let anyone forge download URLs) and
 * the AES key that encrypts an S3 secret stored through the settings API (required only for that).
 * {@code %dev} and {@code %test} set development values in application.properties.
 */
@ApplicationScoped
public class StorageKeys {

    private final byte[] urlSigningKey;
    private final AesGcm aes;

    public StorageKeys(StorageConfig config) {
        String signing = config.urlSigningKey()
                .filter(k -> !k.isBlank())
                .orElseThrow(() -> new IllegalStateException(
                        "Set latch.storage.url-signing-key (LATCH_STORAGE_URL_SIGNING_KEY): a random key of at least 32 characters, "
                                + "e.g. `openssl rand -base64 32`."));
        if (signing.length() < 32) {
            throw new IllegalStateException("latch.storage.url-signing-key must be at least 32 characters");
        }
        this.urlSigningKey = signing.getBytes(StandardCharsets.UTF_8);
        this.aes = config.encryptionKey()
                .filter(k -> !k.isBlank())
                .map(AesGcm::fromBase64)
                .orElse(null);
    }

    public byte[] urlSigningKey() {
        return urlSigningKey.clone();
    }

    /** @throws ProblemException 409 when no encryption key is configured (an S3 secret cannot be stored safely) */
    public AesGcm aes() {
        if (aes == null) {
            throw new ProblemException(
                    409,
                    "Conflict",
                    "Set latch.storage.encryption-key (LATCH_STORAGE_ENCRYPTION_KEY, "
                            + "base64 of 32 random bytes) before storing an S3 secret through the settings, or pass the secret as "
                            + "LATCH_STORAGE_S3_SECRET_ACCESS_KEY.");
        }
        return aes;
    }
}
