package dev.latch.storage.config;

import dev.latch.common.security.AesGcm;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;

/**
 * The two secrets of this service: the HMAC key of signed {@code /file/…} URLs and the AES key that
 * encrypts the S3 secret at rest. Fixed development values stand in when they are not configured, so
 * a local run needs nothing; in prod that is reported loudly at startup, because anyone who knows
 * the development key can forge download URLs.
 */
@ApplicationScoped
public class StorageKeys {

    private static final Logger LOG = Logger.getLogger(StorageKeys.class);
    private static final String DEV_URL_SIGNING_KEY = "latch-dev-only-url-signing-key-do-not-use-in-production";
    private static final String DEV_ENCRYPTION_KEY = "bGF0Y2gtZGV2LXN0b3JhZ2UtZW5jcnlwdGlvbi1rISE=";

    private final StorageConfig config;
    private final byte[] urlSigningKey;
    private final AesGcm aes;

    public StorageKeys(StorageConfig config) {
        this.config = config;
        String signing = config.urlSigningKey().filter(k -> !k.isBlank()).orElse(DEV_URL_SIGNING_KEY);
        if (signing.length() < 32) {
            throw new IllegalStateException("latch.storage.url-signing-key must be at least 32 characters");
        }
        this.urlSigningKey = signing.getBytes(StandardCharsets.UTF_8);
        this.aes = AesGcm.fromBase64(config.encryptionKey().filter(k -> !k.isBlank()).orElse(DEV_ENCRYPTION_KEY));
    }

    public byte[] urlSigningKey() {
        return urlSigningKey.clone();
    }

    public AesGcm aes() {
        return aes;
    }

    void checkProductionReadiness(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        if (config.urlSigningKey().filter(k -> !k.isBlank()).isEmpty()) {
            LOG.warn("*** latch.storage.url-signing-key (LATCH_STORAGE_URL_SIGNING_KEY) is not set: signed file URLs use"
                    + " the public development key and can be forged. Set a random key of at least 32 characters. ***");
        }
        if (config.encryptionKey().filter(k -> !k.isBlank()).isEmpty()) {
            LOG.warn("*** latch.storage.encryption-key (LATCH_STORAGE_ENCRYPTION_KEY) is not set: the S3 secret is"
                    + " encrypted at rest with the public development key. Set base64 of 32 random bytes. ***");
        }
        if (config.s3().secretAccessKey().isPresent() && System.getenv("LATCH_STORAGE_S3_SECRET_ACCESS_KEY") == null) {
            LOG.warn("*** the S3 secret comes from a configuration file: pass it as LATCH_STORAGE_S3_SECRET_ACCESS_KEY"
                    + " from a Kubernetes Secret instead. ***");
        }
    }
}
