package dev.latch.storage.settings;

import dev.latch.common.error.ProblemException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Which storage settings the deployment pins. A setting given through an environment variable or a
 * system property ({@code LATCH_STORAGE_S3_BUCKET}, {@code -Dlatch.storage.s3.bucket}) wins over the
 * stored one on every read, and the settings API refuses to change it (409): the deployment is the
 * source of truth for it. The service's own {@code application.properties} only seeds the stored
 * settings on first start, so everything it does not pin stays an ADMIN's to change at runtime.
 * <p>
 * Each setting of {@link SettingsFields} is pinned by its own property, the one its {@link
 * dev.latch.storage.config.StorageConfig} method reads ({@code s3.pathStyle}: {@code latch.storage.s3.path-style}).
 */
@ApplicationScoped
public class PinnedSettings {

    /** Ordinal of the application's own {@code application.properties}; anything above it is the deployment's. */
    private static final int APPLICATION_PROPERTIES_ORDINAL = 250;

    private final Map<String, String> sources;

    public PinnedSettings() {
        SmallRyeConfig config = ConfigProvider.getConfig().unwrap(SmallRyeConfig.class);
        Map<String, String> found = new LinkedHashMap<>();
        for (SettingsFields.Setting f : SettingsFields.SETTINGS) {
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
        return SettingsFields.merge(stored, configured, this::isPinned);
    }

    /** @throws ProblemException 409 naming the variable when {@code next} changes a pinned field of {@code current} */
    void refuseChanges(StorageSettings current, StorageSettings next) {
        for (SettingsFields.Setting f : SettingsFields.SETTINGS) {
            if (isPinned(f.name()) && !Objects.equals(f.value(current), f.value(next))) {
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
        for (SettingsFields.Setting f : SettingsFields.SETTINGS) {
            if (isPinned(f.name())) {
                Object value = f.secret() ? "***" : f.value(s);
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
