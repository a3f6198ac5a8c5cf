package dev.latch.storage.settings;

import dev.latch.common.error.ProblemException;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.config.StorageConfig;
import dev.latch.storage.config.StorageKeys;
import dev.latch.storage.presign.Delivery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
    private static final String SECRET_CONTEXT = "storage_settings.s3_secret_access_key";

    private record Snapshot(StorageSettings settings, long loadedAt) {}

    private final StorageConfig config;
    private final StorageKeys keys;
    private final PinnedSettings pinned;
    private final StorageSettingsRepository settingsRows;
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
                write(row, initial, !pinned.isPinned(PinnedSettings.SECRET));
                if (settingsRows.insertIfAbsent(row)) {
                    LOG.infof(
                            "storage settings seeded from configuration: default backend %s", initial.defaultBackend());
                }
            }
        });
        snapshot = null;
        LOG.infof("storage settings in force: %s", pinned.describe(current()));
    }

    /** Pinned field → the variable that pins it (shown by the settings API). */
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
        StorageSettings next = patch.applyTo(cur);
        checkRules(next);
        pinned.refuseChanges(cur, next);
        QuarkusTransaction.requiringNew().run(() -> {
            StorageSettingsRow row = settingsRows.find();
            if (row == null) {
                row = new StorageSettingsRow();
                write(row, next, !pinned.isPinned(PinnedSettings.SECRET));
                settingsRows.persist(row);
            } else {
                // a pinned field keeps its stored value, so removing the pin brings back what an ADMIN set
                write(row, pinned.overlay(next, read(row)), !pinned.isPinned(PinnedSettings.SECRET));
            }
        });
        snapshot = new Snapshot(next, System.nanoTime());
        LOG.infof(
                "storage settings changed: default backend %s, delivery %s, S3 %s",
                next.defaultBackend(), next.delivery(), next.s3());
        return next;
    }

    private StorageSettings fromConfig() {
        StorageConfig.S3 s3 = config.s3();
        StorageType backend =
                config.defaultBackend() == StorageType.EXTERNAL ? StorageType.LOCAL : config.defaultBackend();
        List<String> types = new ArrayList<>(new LinkedHashSet<>(config.allowedTypes().stream()
                .map(t -> t.trim().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty())
                .toList()));
        int maxTtl = Math.max(1, Math.min(config.maxUrlTtlSeconds(), MAX_URL_TTL_SECONDS));
        int ttl = Math.max(1, Math.min(config.urlTtlSeconds(), maxTtl));
        return new StorageSettings(
                backend,
                config.delivery(),
                config.maxUploadBytes(),
                types,
                ttl,
                maxTtl,
                new StorageSettings.S3(
                        s3.endpoint().filter(e -> !e.isBlank()).orElse(null),
                        s3.region(),
                        s3.bucket().filter(b -> !b.isBlank()).orElse(null),
                        s3.pathStyle(),
                        s3.accessKeyId().filter(k -> !k.isBlank()).orElse(null),
                        s3.secretAccessKey().filter(k -> !k.isBlank()).orElse(null)));
    }

    private StorageSettings read(StorageSettingsRow row) {
        String secret = null;
        if (row.s3SecretAccessKey != null) {
            try {
                secret = new String(keys.aes().decrypt(row.s3SecretAccessKey, SECRET_CONTEXT), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                LOG.error("the stored S3 secret does not decrypt with latch.storage.encryption-key: set the key it was"
                        + " written with, or store the secret again through the settings API");
            }
        }
        List<String> types = Arrays.stream(row.allowedTypes.split("\n"))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .toList();
        return new StorageSettings(
                StorageType.valueOf(row.defaultBackend),
                Delivery.valueOf(row.delivery),
                row.maxUploadBytes,
                types,
                row.urlTtlSeconds,
                row.maxUrlTtlSeconds,
                new StorageSettings.S3(
                        row.s3Endpoint, row.s3Region, row.s3Bucket, row.s3PathStyle, row.s3AccessKeyId, secret));
    }

    private void write(StorageSettingsRow row, StorageSettings s, boolean withSecret) {
        row.defaultBackend = s.defaultBackend().name();
        row.delivery = s.delivery().name();
        row.maxUploadBytes = s.maxUploadBytes();
        row.allowedTypes = String.join("\n", s.allowedTypes());
        row.urlTtlSeconds = s.urlTtlSeconds();
        row.maxUrlTtlSeconds = s.maxUrlTtlSeconds();
        row.s3Endpoint = s.s3().endpoint();
        row.s3Region = s.s3().region();
        row.s3Bucket = s.s3().bucket();
        row.s3PathStyle = s.s3().pathStyle();
        row.s3AccessKeyId = s.s3().accessKeyId();
        if (withSecret) {
            row.s3SecretAccessKey = s.s3().secretAccessKey() == null
                    ? null
                    : keys.aes().encrypt(s.s3().secretAccessKey().getBytes(StandardCharsets.UTF_8), SECRET_CONTEXT);
        }
        row.updatedAt = Instant.now();
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
