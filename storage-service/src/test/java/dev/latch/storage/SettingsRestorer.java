package dev.latch.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Saves the storage settings before each test, optionally applies a change for the whole class, and puts the saved
 * settings back after each test, S3 block included. The S3 secret is write-only, so it is put back only when given
 * ({@link #withS3Secret}); every test store here uses the same one. Fields the deployment pins are left alone.
 *
 * <pre>{@code @RegisterExtension final SettingsRestorer settings = SettingsRestorer.changing(SettingsRestorer.LOCAL);}</pre>
 */
public final class SettingsRestorer implements BeforeEachCallback, AfterEachCallback {

    public static final Map<String, Object> LOCAL = Map.of("defaultBackend", "LOCAL");
    public static final Map<String, Object> S3_PRESIGNED = Map.of("defaultBackend", "S3", "delivery", "PRESIGNED");

    private final Supplier<Map<String, ?>> change;
    private final String s3Secret;
    private Map<String, Object> saved;

    private SettingsRestorer(Supplier<Map<String, ?>> change, String s3Secret) {
        this.change = change;
        this.s3Secret = s3Secret;
    }

    /** Only saves and restores. */
    public static SettingsRestorer saving() {
        return new SettingsRestorer(Map::of, null);
    }

    /** Applies {@code change} before each test. */
    public static SettingsRestorer changing(Map<String, ?> change) {
        return new SettingsRestorer(() -> change, null);
    }

    /** Applies the change {@code change} gives before each test (for a change an abstract method decides). */
    public static SettingsRestorer changing(Supplier<Map<String, ?>> change) {
        return new SettingsRestorer(change, null);
    }

    /** Also puts {@code secret} back as the S3 secret, for tests that change or clear it. */
    public SettingsRestorer withS3Secret(String secret) {
        return new SettingsRestorer(change, secret);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        saved = Api.settings();
        Map<String, ?> c = change.get();
        if (!c.isEmpty()) {
            Api.putSettings(c);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        restore();
    }

    /** Puts the saved settings back now (a test that checks what restoring does); after the test it happens again. */
    @SuppressWarnings("unchecked")
    public void restore() {
        Map<String, Object> restore = new LinkedHashMap<>(saved);
        Map<String, Object> pinned = (Map<String, Object>) restore.remove("pinned");
        Map<String, Object> s3 = new LinkedHashMap<>((Map<String, Object>) restore.remove("s3"));
        s3.remove("secretAccessKeySet");
        if (s3Secret != null) {
            s3.put("secretAccessKey", s3Secret);
        }
        for (String field : pinned.keySet()) {
            if (field.startsWith("s3.")) {
                s3.remove(field.substring("s3.".length()));
            } else {
                restore.remove(field);
            }
        }
        restore.put("s3", s3);
        Api.putSettings(restore);
    }
}
