package dev.latch.storage.settings;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.presign.Delivery;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The settings in force: an immutable snapshot, replaced as a whole when an admin changes them, and what the
 * settings API shows. The S3 secret is write-only (the API shows only whether it is set); {@code pinned} names each
 * field the deployment pins and the variable that does (the API cannot change those).
 * <p>
 * A setting is a component here (nested records group them, as {@code s3}), a component of the same name in
 * {@link SettingsPatch} (its rules), a field of {@link StorageSettingsRow} (its column; a nested one is prefixed,
 * {@code s3.bucket} is {@code s3Bucket}) and a method of {@link dev.latch.storage.config.StorageConfig} (its seed
 * value and default, and its variable to pin it); {@link SettingsFields} copies between them by name.
 */
@RegisterForReflection
@Schema(name = "SettingsView")
public record StorageSettings(
        @Schema(implementation = String.class) StorageType defaultBackend,
        @Schema(implementation = String.class) Delivery delivery,
        long maxUploadBytes,
        List<String> allowedTypes,
        int urlTtlSeconds,
        int maxUrlTtlSeconds,
        S3 s3,
        Map<String, String> pinned) {

    public StorageSettings {
        allowedTypes = allowedTypes.stream()
                .map(t -> t.trim().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty())
                .distinct()
                .toList();
        Objects.requireNonNull(pinned, "pinned");
    }

    /** S3 connection settings; {@code secretAccessKey} is the decrypted secret and never leaves the service. */
    @RegisterForReflection
    @Schema(name = "S3View")
    public record S3(
            String endpoint,
            String region,
            String bucket,
            boolean pathStyle,
            String accessKeyId,
            @JsonIgnore String secretAccessKey) {

        public Optional<String> endpointOpt() {
            return Optional.ofNullable(endpoint).filter(s -> !s.isBlank());
        }

        public Optional<String> bucketOpt() {
            return Optional.ofNullable(bucket).filter(s -> !s.isBlank());
        }

        /** What the API shows of the write-only secret. */
        @JsonProperty("secretAccessKeySet")
        public boolean secretAccessKeySet() {
            return secretAccessKey != null && !secretAccessKey.isEmpty();
        }

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle
                    + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
                    + (secretAccessKey == null ? "unset" : "***") + "]";
        }
    }
}
