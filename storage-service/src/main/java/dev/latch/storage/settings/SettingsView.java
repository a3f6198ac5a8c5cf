package dev.latch.storage.settings;

import java.util.List;

/** The settings as the API shows them: the S3 secret is write-only, only whether it is set is shown. */
public record SettingsView(String defaultBackend, String delivery, long maxUploadBytes, List<String> allowedTypes,
        int urlTtlSeconds, int maxUrlTtlSeconds, S3View s3) {

    public record S3View(String endpoint, String region, String bucket, boolean pathStyle, String accessKeyId,
            boolean secretAccessKeySet) {
    }

    static SettingsView of(StorageSettings s) {
        return new SettingsView(s.defaultBackend().name(), s.delivery().name(), s.maxUploadBytes(), s.allowedTypes(),
                s.urlTtlSeconds(), s.maxUrlTtlSeconds(),
                new S3View(s.s3().endpoint(), s.s3().region(), s.s3().bucket(), s.s3().pathStyle(), s.s3().accessKeyId(),
                        s.s3().secretAccessKey() != null && !s.s3().secretAccessKey().isEmpty()));
    }
}
