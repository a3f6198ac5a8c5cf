package dev.latch.storage.settings;

import dev.latch.common.error.ProblemException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Which storage settings the deployment pins. A setting given through an environment variable or a
 * system property ({@code LATCH_STORAGE_S3_BUCKET}, {@code -Dlatch.storage.s3.bucket}) wins over the
 * stored one on every read, and the settings API refuses to change it (409): the deployment is the
 * source of truth for it. The service's own {@code application.properties} only seeds the stored
 * settings on first start, so everything it does not pin stays an ADMIN's to change at runtime.
 */
@ApplicationScoped
public class PinnedSettings {

    /** Ordinal of the application's own {@code application.properties}; anything above it is the deployment's. */
    private static final int APPLICATION_PROPERTIES_ORDINAL = 250;

    /** A settings field: its name in the API, its configuration property and how to read it from a snapshot. */
    record Field(String name, String property, Function<StorageSettings, Object> value) {}

    static final List<Field> FIELDS = List.of(
            new Field("defaultBackend", "latch.storage.default-backend", StorageSettings::defaultBackend),
            new Field("delivery", "latch.storage.delivery", StorageSettings::delivery),
            new Field("maxUploadBytes", "latch.storage.max-upload-bytes", StorageSettings::maxUploadBytes),
            new Field("allowedTypes", "latch.storage.allowed-types", StorageSettings::allowedTypes),
            new Field("urlTtlSeconds", "latch.storage.url-ttl-seconds", StorageSettings::urlTtlSeconds),
            new Field("maxUrlTtlSeconds", "latch.storage.max-url-ttl-seconds", StorageSettings::maxUrlTtlSeconds),
            new Field("s3.endpoint", "latch.storage.s3.endpoint", s -> s.s3().endpoint()),
            new Field("s3.region", "latch.storage.s3.region", s -> s.s3().region()),
            new Field("s3.bucket", "latch.storage.s3.bucket", s -> s.s3().bucket()),
            new Field("s3.pathStyle", "latch.storage.s3.path-style", s -> s.s3().pathStyle()),
            new Field("s3.accessKeyId", "latch.storage.s3.access-key-id", s -> s.s3().accessKeyId()),
            new Field("s3.secretAccessKey", "latch.storage.s3.secret-access-key", s -> s.s3().secretAccessKey()));

    static final String SECRET = "s3.secretAccessKey";

    private final Map<String, String> sources;

    public PinnedSettings() {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        Map<String, String> found = new LinkedHashMap<>();
        for (Field f : FIELDS) {
            ConfigValue v = config.getConfigValue(f.property());
            if (v.getValue() != null
                    && !v.getValue().isBlank()
                    && v.getConfigSourceOrdinal() > APPLICATION_PROPERTIES_ORDINAL) {
                found.put(f.name(), describe(f.property(), v));
            }
        }
        this.sources = Collections.unmodifiableMap(found);
    }

    /** Pinned field → where its value comes from, e.g. {@code "environment variable LATCH_STORAGE_S3_BUCKET"}. */
    public Map<String, String> sources() {
        return sources;
    }

    public boolean isPinned(String field) {
        return sources.containsKey(field);
    }

    /** {@code stored} with every pinned field taken from {@code configured}. */
    StorageSettings overlay(StorageSettings stored, StorageSettings configured) {
        if (sources.isEmpty()) {
            return stored;
        }
        StorageSettings.S3 s = stored.s3();
        StorageSettings.S3 c = configured.s3();
        return new StorageSettings(
                pick("defaultBackend", stored.defaultBackend(), configured.defaultBackend()),
                pick("delivery", stored.delivery(), configured.delivery()),
                pick("maxUploadBytes", stored.maxUploadBytes(), configured.maxUploadBytes()),
                pick("allowedTypes", stored.allowedTypes(), configured.allowedTypes()),
                pick("urlTtlSeconds", stored.urlTtlSeconds(), configured.urlTtlSeconds()),
                pick("maxUrlTtlSeconds", stored.maxUrlTtlSeconds(), configured.maxUrlTtlSeconds()),
                new StorageSettings.S3(
                        pick("s3.endpoint", s.endpoint(), c.endpoint()),
                        pick("s3.region", s.region(), c.region()),
                        pick("s3.bucket", s.bucket(), c.bucket()),
                        pick("s3.pathStyle", s.pathStyle(), c.pathStyle()),
                        pick("s3.accessKeyId", s.accessKeyId(), c.accessKeyId()),
                        pick(SECRET, s.secretAccessKey(), c.secretAccessKey())));
    }

    /** @throws ProblemException 409 naming the variable when {@code next} changes a pinned field of {@code current} */
    void refuseChanges(StorageSettings current, StorageSettings next) {
        for (Field f : FIELDS) {
            if (isPinned(f.name())
                    && !Objects.equals(f.value().apply(current), f.value().apply(next))) {
                throw new ProblemException(
                        409,
                        "Conflict",
                        f.name() + " is pinned by the deployment (" + sources.get(f.name())
                                + "): change it there, or remove it there to manage it here.");
            }
        }
    }

    /** One line for the start log: each pinned field with its source, the rest from the stored settings. */
    String describe(StorageSettings s) {
        StringBuilder line = new StringBuilder();
        for (Field f : FIELDS) {
            if (isPinned(f.name())) {
                Object value = SECRET.equals(f.name()) ? "***" : f.value().apply(s);
                line.append(line.isEmpty() ? "" : ", ")
                        .append(f.name())
                        .append('=')
                        .append(value)
                        .append(" (")
                        .append(sources.get(f.name()))
                        .append(')');
            }
        }
        return line.isEmpty()
                ? "every field from the stored settings (PUT /api/v1/storage/settings)"
                : line + "; every other field from the stored settings (PUT /api/v1/storage/settings)";
    }

    private <T> T pick(String field, T stored, T configured) {
        return isPinned(field) ? configured : stored;
    }

    private static String describe(String property, ConfigValue v) {
        String source = Objects.toString(v.getConfigSourceName(), "");
        if (source.startsWith("EnvConfigSource")) {
            return "environment variable " + property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        }
        if (source.startsWith("SysPropConfigSource")) {
            return "system property " + property;
        }
        return "configuration " + property + " in " + source;
    }
}
