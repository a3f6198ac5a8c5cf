package dev.latch.auth.key;

import dev.latch.auth.config.AuthConfig;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Where the signing keys come from: a mounted directory ({@link DirectoryKeySource}) or, when none is
 * configured, keys generated here and stored in PostgreSQL ({@link DatabaseKeySource}). {@link SigningKeyStore}
 * caches what a source loads, picks the active key and publishes the JWKS.
 */
interface KeySource {

    /** A loaded key with its private half, which never leaves the store. */
    record LoadedKey(SigningKey key, PublicJsonWebKey privateJwk) {}

    static KeySource configured(AuthConfig.Keys config, SigningKeyRepository repository) {
        return config.directory()
                .<KeySource>map(dir -> new DirectoryKeySource(dir, config.active()))
                .orElseGet(() -> new DatabaseKeySource(repository, config.algorithm(), config.encryptionKey()));
    }

    /** Runs once at start, before the first {@link #load()}. */
    default void prepare() {}

    /** Every key of the source, in the order the JWKS lists them. */
    List<LoadedKey> load();

    /** Whether keys change while the service runs (another replica rotates), so the store reloads them. */
    boolean changesWhileRunning();

    /** Stores a newly generated key that signs from {@code activation}; returns its kid. */
    String rotate(Instant activation);
}
