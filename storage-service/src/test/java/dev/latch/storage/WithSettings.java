package dev.latch.storage;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test class that runs with some storage settings changed, and puts the saved settings back after each test. */
abstract class WithSettings {

    private final Map<String, Object> change;
    private Map<String, Object> saved;

    WithSettings(Map<String, Object> change) {
        this.change = change;
    }

    static final Map<String, Object> LOCAL = Map.of("defaultBackend", "LOCAL");
    static final Map<String, Object> S3_PRESIGNED = Map.of("defaultBackend", "S3", "delivery", "PRESIGNED");

    @BeforeEach
    void applySettings() {
        saved = Api.settings();
        Api.putSettings(change);
    }

    @AfterEach
    void restoreSettings() {
        Api.restoreSettings(saved);
    }
}
