package dev.latch.storage.config;

import dev.latch.storage.backend.StorageType;
import dev.latch.storage.presign.Delivery;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Storage configuration. The settings fields (default backend, delivery, limits, allowed types, URL
 * lifetimes, S3) seed the settings row in PostgreSQL on first start; after that the settings API
 * ({@code /api/v1/storage/settings}) is the source of truth and changes apply without a restart —
 * except for fields the deployment pins through environment variables or system properties
 * ({@link dev.latch.storage.settings.PinnedSettings}). Each settings field is read, as a setting of its name, by
 * {@code dev.latch.storage.settings.SettingsFields}.
 */
@ConfigMapping(prefix = "latch.storage")
public interface StorageConfig {

    /** Where new attachments go; existing ones stay on the backend they were written to. */
    @WithDefault("LOCAL")
    StorageType defaultBackend();

    /** PRESIGNED: S3 downloads redirect to the store. PROXY: this service streams every byte. */
    @WithDefault("PRESIGNED")
    Delivery delivery();

    /** Largest accepted upload in bytes (a file of exactly this size is accepted). */
    @WithDefault("33554432")
    long maxUploadBytes();

    /** Detected content types accepted for upload; {@code type/*} wildcards allowed. */
    @WithDefault("image/png,image/jpeg,image/gif,image/webp,image/avif,image/bmp,image/tiff,image/svg+xml,"
            + "image/x-icon,image/vnd.microsoft.icon,image/heic,image/heif,"
            + "application/pdf,text/plain,text/csv,text/markdown,"
            + "application/msword,application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
            + "application/vnd.ms-excel,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
            + "application/vnd.ms-powerpoint,application/vnd.openxmlformats-officedocument.presentationml.presentation,"
            + "application/vnd.oasis.opendocument.text,application/vnd.oasis.opendocument.spreadsheet,"
            + "application/vnd.oasis.opendocument.presentation,application/rtf,"
            + "application/zip,application/gzip,application/x-gzip,application/x-tar,application/x-7z-compressed,"
            + "application/x-bzip2,application/x-xz,application/vnd.rar,application/x-rar-compressed")
    List<String> allowedTypes();

    /** Lifetime of the URLs handed out with an attachment. */
    @WithDefault("900")
    int urlTtlSeconds();

    /** Upper bound of {@code ?ttl=} on {@code /url}; at most 604800 (7 days, the S3 limit). */
    @WithDefault("604800")
    int maxUrlTtlSeconds();

    /** Root of the LOCAL backend: files live at {@code {data-dir}/attachments/{uid}/{filename}}. */
    @WithDefault("data")
    Path dataDir();

    /**
     * HMAC-SHA256 key of the {@code /file/…} URLs (at least 32 characters, LATCH_STORAGE_URL_SIGNING_KEY),
     * the same on every replica. Required.
     */
    Optional<String> urlSigningKey();

    /**
     * AES-256 key (base64 of 32 bytes) that encrypts an S3 secret stored through the settings API
     * (LATCH_STORAGE_ENCRYPTION_KEY).
     */
    Optional<String> encryptionKey();

    /** Size of each part of an S3 multipart upload (equal parts: R2 requires it); at least 5 MiB. */
    @WithDefault("8388608")
    int s3PartSize();

    /** Size of each row of a DATABASE blob. */
    @WithDefault("524288")
    int databaseChunkSize();

    /** How long a direct-upload URL stays valid; an upload not completed by then is cleaned up. */
    @WithDefault("1H")
    Duration uploadLifetime();

    /** How long a replica reuses the settings it read before reading them again (another replica may change them). */
    @WithDefault("10S")
    Duration settingsRefresh();

    S3 s3();

    Jobs jobs();

    Consistency consistency();

    interface S3 {
        /** Leave empty for AWS; set for MinIO, R2, B2, Spaces, Wasabi… */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> bucket();

        @WithDefault("false")
        boolean pathStyle();

        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();
    }

    interface Jobs {
        /** How often pending blob deletions, expired direct uploads and abandoned migrations are looked at. */
        @WithDefault("60s")
        String interval();

        /** First retry delay of a failed blob deletion; doubled per attempt, capped at one hour. */
        @WithDefault("30S")
        Duration retryDelay();

        /** How long a replica holds a running migration before another may take it over. */
        @WithDefault("60S")
        Duration migrationLease();
    }

    /** {@code GET /api/v1/storage/consistency}. */
    interface Consistency {
        /** Objects or files listed per page (ListObjectsV2 {@code max-keys}), and looked up in PostgreSQL per query. */
        @WithDefault("1000")
        int pageSize();

        /**
         * Blobs written and records created this shortly before a check are left out of it: an upload in flight
         * has its blob for a moment before its record.
         */
        @WithDefault("60S")
        Duration grace();
    }
}
