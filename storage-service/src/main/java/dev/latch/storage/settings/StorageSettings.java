package dev.latch.storage.settings;

import dev.latch.storage.backend.StorageType;
import dev.latch.storage.presign.Delivery;
import java.util.List;
import java.util.Optional;

/** The settings in force: an immutable snapshot, replaced as a whole when an admin changes them. */
public record StorageSettings(
        StorageType defaultBackend,
        Delivery delivery,
        long maxUploadBytes,
        List<String> allowedTypes,
        int urlTtlSeconds,
        int maxUrlTtlSeconds,
        S3 s3) {

    public StorageSettings {
        allowedTypes = List.copyOf(allowedTypes);
    }

    /** S3 connection settings; {@code secretAccessKey} is the decrypted secret and never leaves the service. */
    public record S3(
            String endpoint,
            String region,
            String bucket,
            boolean pathStyle,
            String accessKeyId,
            String secretAccessKey) {

        public Optional<String> endpointOpt() {
            return Optional.ofNullable(endpoint).filter(s -> !s.isBlank());
        }

        public Optional<String> bucketOpt() {
            return Optional.ofNullable(bucket).filter(s -> !s.isBlank());
        }

        @Override
        public String toString() {
            return "S3[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", pathStyle=" + pathStyle
                    + ", accessKeyId=" + accessKeyId + ", secretAccessKey="
                    + (secretAccessKey == null ? "unset" : "***") + "]";
        }
    }
}
