package dev.latch.auth.key;

import dev.latch.common.security.AesGcm;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Keys generated here and kept in PostgreSQL with the private half encrypted (AES-GCM) under {@code
 * latch.auth.keys.encryption-key}, so restarts and replicas agree. Used when no key directory is configured.
 */
final class DatabaseKeySource implements KeySource {

    private static final Logger LOG = Logger.getLogger(DatabaseKeySource.class);
    private static final String AAD = "latch.signing-key";

    private final SigningKeyRepository repository;
    private final String algorithm;
    private final Optional<String> encryptionKey;

    DatabaseKeySource(SigningKeyRepository repository, String algorithm, Optional<String> encryptionKey) {
        this.repository = repository;
        this.algorithm = algorithm;
        this.encryptionKey = encryptionKey;
    }

    /** Generates the first key if the table has none. */
    @Override
    public void prepare() {
        QuarkusTransaction.requiringNew().run(() -> {
            repository.lockFirstKey();
            if (repository.isEmpty()) {
                PublicJsonWebKey jwk = KeyMaterial.generate(algorithm);
                store(jwk, Instant.now().minusSeconds(1));
                LOG.warnf(
                        "No signing key directory is configured (latch.auth.keys.directory): generated %s key %s and "
                                + "stored it encrypted in the database. Mount keys from a Secret in production.",
                        algorithm, jwk.getKeyId());
            }
        });
    }

    /** Ordered by activation: each key retires when the next one activates. */
    @Override
    public List<LoadedKey> load() {
        List<SigningKeyRow> rows = QuarkusTransaction.joiningExisting().call(repository::byActivation);
        AesGcm aes = encryption();
        List<LoadedKey> loaded = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SigningKeyRow row = rows.get(i);
            PublicJsonWebKey jwk = decrypt(aes, row);
            Instant retires = i + 1 < rows.size() ? rows.get(i + 1).activatedAt : null;
            loaded.add(new LoadedKey(
                    new SigningKey(
                            row.kid,
                            row.algorithm,
                            KeyMaterial.publicOnly(jwk),
                            new SigningKey.Stored(row.activatedAt, retires)),
                    jwk));
        }
        return List.copyOf(loaded);
    }

    @Override
    public boolean changesWhileRunning() {
        return true;
    }

    @Override
    public String rotate(Instant activation) {
        PublicJsonWebKey jwk = KeyMaterial.generate(algorithm);
        QuarkusTransaction.requiringNew().run(() -> store(jwk, activation));
        return jwk.getKeyId();
    }

    private void store(PublicJsonWebKey jwk, Instant activation) {
        SigningKeyRow row = new SigningKeyRow();
        row.kid = jwk.getKeyId();
        row.algorithm = jwk.getAlgorithm();
        row.publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        row.privateKey =
                encryption().encrypt(KeyMaterial.utf8(KeyMaterial.privateJson(jwk)), AAD + ":" + jwk.getKeyId());
        row.createdAt = Instant.now();
        row.activatedAt = activation;
        repository.persist(row);
    }

    private static PublicJsonWebKey decrypt(AesGcm aes, SigningKeyRow row) {
        try {
            return KeyMaterial.fromJwkJson(
                    new String(aes.decrypt(row.privateKey, AAD + ":" + row.kid), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "signing key " + row.kid
                            + " does not decrypt with latch.auth.keys.encryption-key"
                            + " (LATCH_AUTH_KEYS_ENCRYPTION_KEY): set the key it was stored with. Without that key the stored signing"
                            + " keys cannot be used again; for a local run whose deploy/.run was deleted (or another checkout on"
                            + " the same databases), `deploy/run-local.sh --reset` drops the local databases and keys and starts over.");
        }
    }

    private AesGcm encryption() {
        return AesGcm.fromBase64(
                encryptionKey.orElseThrow(
                        () -> new IllegalStateException(
                                "Set latch.auth.keys.directory (mounted keys) or latch.auth.keys.encryption-key "
                                        + "(base64 of 32 random bytes, e.g. `openssl rand -base64 32`) to store generated signing keys.")));
    }
}
