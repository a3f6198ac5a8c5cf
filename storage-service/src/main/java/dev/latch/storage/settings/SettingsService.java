package dev.latch.storage.settings;

import dev.latch.common.error.ProblemException;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.config.StorageConfig;
import dev.latch.storage.config.StorageKeys;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The storage settings in force. Seeded from configuration into PostgreSQL on first start; read
 * through a short cache so every replica picks up an admin's change within
 * {@code latch.storage.settings-refresh} (the replica that took the change applies it at once). A
 * field the deployment pins ({@link PinnedSettings}: an environment variable or system property) is
 * taken from configuration on every read, never changed through the API, and a pinned S3 secret is
 * never stored (so it needs no at-rest encryption key).
 */
@ApplicationScoped
public class SettingsService {

    public static final int MAX_URL_TTL_SECONDS = 604_800;
    /** S3 allows at most 5 TiB per object. */
    public static final long MAX_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(SettingsService.class);

    private record Snapshot(StorageSettings settings, long loadedAt) {}

    private final StorageConfig config;
    private final StorageKeys keys;
    private final PinnedSettings pinned;
    private final StorageSettingsRepository settingsRows;
    private final SettingsFields.Secrets secrets = new AtRest();
    private final long refreshNanos;
    private volatile Snapshot snapshot;

    public SettingsService(
            StorageConfig config, StorageKeys keys, PinnedSettings pinned, StorageSettingsRepository settingsRows) {
        this.config = config;
        this.keys = keys;
        this.pinned = pinned;
        this.settingsRows = settingsRows;
        this.refreshNanos = config.settingsRefresh().toNanos();
    }

    void seed(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (settingsRows.find() == null) {
                StorageSettings initial = fromConfig();
                StorageSettingsRow row = new StorageSettingsRow();
                write(row, initial);
                if (settingsRows.insertIfAbsent(row)) {
                    LOG.infof(
                            "storage settings seeded from configuration: default backend %s", initial.defaultBackend());
                }
            }
        });
        snapshot = null;
        LOG.infof("storage settings in force: %s", pinned.describe(current()));
    }

    /** Pinned field → the variable that pins it (as {@link StorageSettings#pinned()} shows it). */
    public Map<String, String> pinnedSources() {
        return pinned.sources();
    }

    /** The settings in force, re-read from PostgreSQL when the cached copy is older than the refresh interval. */
    public StorageSettings current() {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.loadedAt() > refreshNanos) {
            StorageSettings loaded = QuarkusTransaction.requiringNew().call(() -> {
                StorageSettingsRow row = settingsRows.find();
                return row == null ? fromConfig() : pinned.overlay(read(row), fromConfig());
            });
            s = new Snapshot(loaded, System.nanoTime());
            snapshot = s;
        }
        return s.settings();
    }

    /** The last settings read, without touching the database (for the event loop); configuration before the first read. */
    public StorageSettings cached() {
        Snapshot s = snapshot;
        return s == null ? fromConfig() : s.settings();
    }

    /**
     * Applies a change: fields the patch gives replace the current ones, absent fields are kept (see {@link
     * SettingsPatch}). {@code s3.secretAccessKey} is write-only; an empty string clears it.
     */
    public StorageSettings update(SettingsPatch patch) {
        if (patch == null) {
            throw ProblemException.badRequest("The body must be a JSON object.");
        }
        StorageSettings cur = current();
        StorageSettings next = SettingsFields.apply(patch, cur);
        checkRules(next);
        pinned.refuseChanges(cur, next);
        QuarkusTransaction.requiringNew().run(() -> {
            StorageSettingsRow row = settingsRows.find();
            if (row == null) {
                row = new StorageSettingsRow();
                write(row, next);
                settingsRows.persist(row);
            } else {
                // a pinned field keeps its stored value, so removing the pin brings back what an ADMIN set
                write(row, pinned.overlay(next, read(row)));
            }
        });
        snapshot = new Snapshot(next, System.nanoTime());
        LOG.infof(
                "storage settings changed: default backend %s, delivery %s, S3 %s",
                next.defaultBackend(), next.delivery(), next.s3());
        return next;
    }

    /**
     * The settings configuration gives, each as its {@link StorageConfig} method reads it, then what configuration
     * cannot mean made what it can: an EXTERNAL default backend is LOCAL, URL lifetimes are kept in range.
     */
    private StorageSettings fromConfig() {
        StorageSettings configured = SettingsFields.fromConfig(config, pinned.sources());
        int maxTtl = Math.max(1, Math.min(configured.maxUrlTtlSeconds(), MAX_URL_TTL_SECONDS));
        int ttl = Math.max(1, Math.min(configured.urlTtlSeconds(), maxTtl));
        StorageType backend =
                configured.defaultBackend() == StorageType.EXTERNAL ? StorageType.LOCAL : configured.defaultBackend();
        return SettingsFields.with(
                configured, Map.of("defaultBackend", backend, "maxUrlTtlSeconds", maxTtl, "urlTtlSeconds", ttl));
    }

    private StorageSettings read(StorageSettingsRow row) {
        return SettingsFields.read(row, secrets, pinned.sources());
    }

    /** A secret the deployment pins is never stored (so it needs no at-rest encryption key). */
    private void write(StorageSettingsRow row, StorageSettings s) {
        SettingsFields.write(row, s, secrets, f -> f.secret() && pinned.isPinned(f.name()));
        row.updatedAt = Instant.now();
    }

    /** The at-rest encryption of secret settings, with latch.storage.encryption-key. */
    private final class AtRest implements SettingsFields.Secrets {

        @Override
        public byte[] encrypt(String plaintext, String context) {
            return keys.aes().encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context);
        }

        @Override
        public String decrypt(byte[] ciphertext, String context) {
            try {
                return new String(keys.aes().decrypt(ciphertext, context), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                LOG.errorf(
                        "the stored secret %s does not decrypt with latch.storage.encryption-key: set the key it was"
                                + " written with, or store the secret again through the settings API",
                        context);
                return null;
            }
        }
    }

    /**
     * The rules between fields, on the merged settings (a change of one field is checked against the others in
     * force); each field on its own is checked by {@link SettingsPatch}'s constraints.
     */
    static void checkRules(StorageSettings next) {
        if (next.urlTtlSeconds() > next.maxUrlTtlSeconds()) {
            throw ProblemException.badRequest(
                    "urlTtlSeconds must not exceed maxUrlTtlSeconds (" + next.maxUrlTtlSeconds() + ").");
        }
        if (next.defaultBackend() == StorageType.S3 && next.s3().bucketOpt().isEmpty()) {
            throw ProblemException.badRequest("s3.bucket is required when defaultBackend is S3.");
        }
    }
}
