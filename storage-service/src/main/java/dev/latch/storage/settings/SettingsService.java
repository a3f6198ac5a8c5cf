package dev.latch.storage.settings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latch.common.error.ProblemException;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.config.StorageConfig;
import dev.latch.storage.config.StorageKeys;
import dev.latch.storage.presign.Delivery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
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
    private static final Pattern MEDIA_RANGE =
            Pattern.compile("(\\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126})/(\\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126})");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final Set<String> FIELDS = Set.of(
            "defaultBackend",
            "delivery",
            "maxUploadBytes",
            "allowedTypes",
            "urlTtlSeconds",
            "maxUrlTtlSeconds",
            "s3",
            "pinned");
    private static final Set<String> S3_FIELDS =
            Set.of("endpoint", "region", "bucket", "pathStyle", "accessKeyId", "secretAccessKey", "secretAccessKeySet");

    private record Snapshot(StorageSettings settings, long loadedAt) {}

    private final StorageConfig config;
    private final StorageKeys keys;
    private final PinnedSettings pinned;
    private final EntityManager em;
    private final long refreshNanos;
    private volatile Snapshot snapshot;

    public SettingsService(StorageConfig config, StorageKeys keys, PinnedSettings pinned, EntityManager em) {
        this.config = config;
        this.keys = keys;
        this.pinned = pinned;
        this.em = em;
        this.refreshNanos = config.settingsRefresh().toNanos();
    }

    void seed(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (StorageSettingsRow.findById(StorageSettingsRow.ID) == null) {
                StorageSettings initial = fromConfig();
                StorageSettingsRow row = new StorageSettingsRow();
                write(row, initial, !pinned.isPinned(PinnedSettings.SECRET));
                // two replicas starting together: the second insert is a no-op
                em.createNativeQuery(
                                "INSERT INTO storage_settings (id, default_backend, delivery, max_upload_bytes,"
                                        + " allowed_types, url_ttl_seconds, max_url_ttl_seconds, s3_endpoint, s3_region, s3_bucket,"
                                        + " s3_path_style, s3_access_key_id, s3_secret_access_key, updated_at)"
                                        + " VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO NOTHING")
                        .setParameter(1, row.defaultBackend)
                        .setParameter(2, row.delivery)
                        .setParameter(3, row.maxUploadBytes)
                        .setParameter(4, row.allowedTypes)
                        .setParameter(5, row.urlTtlSeconds)
                        .setParameter(6, row.maxUrlTtlSeconds)
                        .setParameter(7, row.s3Endpoint)
                        .setParameter(8, row.s3Region)
                        .setParameter(9, row.s3Bucket)
                        .setParameter(10, row.s3PathStyle)
                        .setParameter(11, row.s3AccessKeyId)
                        .setParameter(12, row.s3SecretAccessKey)
                        .setParameter(13, row.updatedAt)
                        .executeUpdate();
                LOG.infof("storage settings seeded from configuration: default backend %s", initial.defaultBackend());
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
                StorageSettingsRow row = StorageSettingsRow.findById(StorageSettingsRow.ID);
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
     * Applies a change: fields present in {@code body} replace the current ones (a nullable field sent as
     * {@code null} is cleared), absent fields are kept. {@code s3.secretAccessKey} is write-only; an empty
     * string clears it.
     */
    public StorageSettings update(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object.");
        }
        unknownFields(body, FIELDS, "");
        StorageSettings cur = current();
        StorageType backend = body.has("defaultBackend") ? backend(body.get("defaultBackend")) : cur.defaultBackend();
        Delivery delivery = body.has("delivery") ? delivery(body.get("delivery")) : cur.delivery();
        long maxUpload = body.has("maxUploadBytes")
                ? longIn(body.get("maxUploadBytes"), "maxUploadBytes", 1, MAX_UPLOAD_BYTES)
                : cur.maxUploadBytes();
        List<String> types = body.has("allowedTypes") ? types(body.get("allowedTypes")) : cur.allowedTypes();
        int maxTtl = body.has("maxUrlTtlSeconds")
                ? (int) longIn(body.get("maxUrlTtlSeconds"), "maxUrlTtlSeconds", 1, MAX_URL_TTL_SECONDS)
                : cur.maxUrlTtlSeconds();
        int ttl = body.has("urlTtlSeconds")
                ? (int) longIn(body.get("urlTtlSeconds"), "urlTtlSeconds", 1, MAX_URL_TTL_SECONDS)
                : cur.urlTtlSeconds();
        if (ttl > maxTtl) {
            throw ProblemException.badRequest("urlTtlSeconds must not exceed maxUrlTtlSeconds (" + maxTtl + ").");
        }
        StorageSettings.S3 s3 = cur.s3();
        if (body.has("s3")) {
            s3 = s3(body.get("s3"), s3);
        }
        if (backend == StorageType.S3 && s3.bucketOpt().isEmpty()) {
            throw ProblemException.badRequest("s3.bucket is required when defaultBackend is S3.");
        }
        StorageSettings next = new StorageSettings(backend, delivery, maxUpload, types, ttl, maxTtl, s3);
        pinned.refuseChanges(cur, next);
        QuarkusTransaction.requiringNew().run(() -> {
            StorageSettingsRow row = StorageSettingsRow.findById(StorageSettingsRow.ID);
            if (row == null) {
                row = new StorageSettingsRow();
                write(row, next, !pinned.isPinned(PinnedSettings.SECRET));
                row.persist();
            } else {
                // a pinned field keeps its stored value, so removing the pin brings back what an ADMIN set
                write(row, pinned.overlay(next, read(row)), !pinned.isPinned(PinnedSettings.SECRET));
            }
        });
        snapshot = new Snapshot(next, System.nanoTime());
        LOG.infof("storage settings changed: default backend %s, delivery %s, S3 %s", backend, delivery, s3);
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

    private static StorageSettings.S3 s3(JsonNode node, StorageSettings.S3 cur) {
        if (!node.isObject()) {
            throw ProblemException.badRequest("s3 must be an object.");
        }
        unknownFields(node, S3_FIELDS, "s3.");
        String endpoint = node.has("endpoint") ? endpoint(node.get("endpoint")) : cur.endpoint();
        String region = cur.region();
        if (node.has("region")) {
            region = text(node.get("region"), "s3.region");
            if (region == null || !REGION.matcher(region).matches()) {
                throw ProblemException.badRequest("s3.region must be a region name such as us-east-1 or auto.");
            }
        }
        String bucket = cur.bucket();
        if (node.has("bucket")) {
            bucket = text(node.get("bucket"), "s3.bucket");
            if (bucket != null && !bucket.isEmpty() && !BUCKET.matcher(bucket).matches()) {
                throw ProblemException.badRequest("s3.bucket is not a valid bucket name.");
            }
            bucket = bucket == null || bucket.isEmpty() ? null : bucket;
        }
        boolean pathStyle = cur.pathStyle();
        if (node.has("pathStyle")) {
            if (!node.get("pathStyle").isBoolean()) {
                throw ProblemException.badRequest("s3.pathStyle must be true or false.");
            }
            pathStyle = node.get("pathStyle").booleanValue();
        }
        String accessKeyId = cur.accessKeyId();
        if (node.has("accessKeyId")) {
            accessKeyId = text(node.get("accessKeyId"), "s3.accessKeyId");
            if (accessKeyId != null
                    && !accessKeyId.isEmpty()
                    && !PRINTABLE.matcher(accessKeyId).matches()) {
                throw ProblemException.badRequest("s3.accessKeyId is not valid.");
            }
            accessKeyId = accessKeyId == null || accessKeyId.isEmpty() ? null : accessKeyId;
        }
        String secret = cur.secretAccessKey();
        if (node.has("secretAccessKey") && !node.get("secretAccessKey").isNull()) {
            secret = text(node.get("secretAccessKey"), "s3.secretAccessKey");
            if (!secret.isEmpty() && !PRINTABLE.matcher(secret).matches()) {
                throw ProblemException.badRequest("s3.secretAccessKey is not valid.");
            }
            secret = secret.isEmpty() ? null : secret;
        }
        return new StorageSettings.S3(endpoint, region, bucket, pathStyle, accessKeyId, secret);
    }

    private static String endpoint(JsonNode node) {
        String value = text(node, "s3.endpoint");
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null
                    || value.length() > 2048) {
                throw new IllegalArgumentException();
            }
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        } catch (Exception e) {
            throw ProblemException.badRequest(
                    "s3.endpoint must be an http(s) URL without query, such as https://s3.example.com.");
        }
    }

    private static StorageType backend(JsonNode node) {
        String v = text(node, "defaultBackend");
        for (StorageType t : List.of(StorageType.DATABASE, StorageType.LOCAL, StorageType.S3)) {
            if (t.name().equals(v)) {
                return t;
            }
        }
        throw ProblemException.badRequest("defaultBackend must be DATABASE, LOCAL or S3.");
    }

    private static Delivery delivery(JsonNode node) {
        String v = text(node, "delivery");
        for (Delivery d : Delivery.values()) {
            if (d.name().equals(v)) {
                return d;
            }
        }
        throw ProblemException.badRequest("delivery must be PRESIGNED or PROXY.");
    }

    private static List<String> types(JsonNode node) {
        if (!node.isArray() || node.isEmpty() || node.size() > 500) {
            throw ProblemException.badRequest("allowedTypes must be a non-empty list of media types (at most 500).");
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (JsonNode t : node) {
            String v = t.isTextual() ? t.textValue().trim().toLowerCase(Locale.ROOT) : "";
            if (!MEDIA_RANGE.matcher(v).matches() || (v.startsWith("*/") && !v.equals("*/*"))) {
                throw ProblemException.badRequest("allowedTypes: '" + (t.isTextual() ? t.textValue() : t)
                        + "' is not a media type such as image/png or image/*.");
            }
            types.add(v);
        }
        return List.copyOf(types);
    }

    private static long longIn(JsonNode node, String field, long min, long max) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw ProblemException.badRequest(field + " must be an integer between " + min + " and " + max + ".");
        }
        return node.longValue();
    }

    private static String text(JsonNode node, String field) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ProblemException.badRequest(field + " must be a string.");
        }
        return node.textValue().trim();
    }

    private static void unknownFields(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!known.contains(name)) {
                throw ProblemException.badRequest("Unknown field '" + prefix + name + "'.");
            }
        }
    }
}
