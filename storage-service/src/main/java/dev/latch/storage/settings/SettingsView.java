package dev.latch.storage.settings;

import java.util.List;
import java.util.Map;

/**
 * The settings as the API shows them: the S3 secret is write-only, only whether it is set is shown;
 * {@code pinned} names each field the deployment pins and the variable that does (the API cannot change those).
 */
public record SettingsView(
        String defaultBackend,
        String delivery,
        long maxUploadBytes,
        List<String> allowedTypes,
        int urlTtlSeconds,
        int maxUrlTtlSeconds,
        S3View s3,
        Map<String, String> pinned) {

    public record S3View(
            String endpoint,
            String region,
            String bucket,
            boolean pathStyle,
            String accessKeyId,
            boolean secretAccessKeySet) {}

    static SettingsView of(StorageSettings s, Map<String, String> pinned) {
        return new SettingsView(
                s.defaultBackend().name(),
                s.delivery().name(),
                s.maxUploadBytes(),
                s.allowedTypes(),
                s.urlTtlSeconds(),
                s.maxUrlTtlSeconds(),
                new S3View(
                        s.s3().endpoint(),
                        s.s3().region(),
                        s.s3().bucket(),
                        s.s3().pathStyle(),
                        s.s3().accessKeyId(),
                        s.s3().secretAccessKey() != null
                                && !s.s3().secretAccessKey().isEmpty()),
                pinned);
    }
}
