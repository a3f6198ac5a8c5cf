package dev.latch.storage.settings;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The stored settings (one row). Every field but {@code id} and {@code updatedAt} is a setting, of the name of its
 * {@link StorageSettings} component ({@code s3Bucket} for {@code s3.bucket}); {@link SettingsFields} copies them, and
 * a {@code bytea} column keeps a secret encrypted.
 */
@Entity
@Table(name = "storage_settings")
public class StorageSettingsRow {

    public static final short ID = 1;

    @Id
    public short id = ID;

    @Column(name = "default_backend")
    public String defaultBackend;

    public String delivery;

    @Column(name = "max_upload_bytes")
    public long maxUploadBytes;
    /** One type per line. */
    @Column(name = "allowed_types")
    public String allowedTypes;

    @Column(name = "url_ttl_seconds")
    public int urlTtlSeconds;

    @Column(name = "max_url_ttl_seconds")
    public int maxUrlTtlSeconds;

    @Column(name = "s3_endpoint")
    public String s3Endpoint;

    @Column(name = "s3_region")
    public String s3Region;

    @Column(name = "s3_bucket")
    public String s3Bucket;

    @Column(name = "s3_path_style")
    public boolean s3PathStyle;

    @Column(name = "s3_access_key_id")
    public String s3AccessKeyId;
    /** AES-256-GCM ciphertext of the S3 secret. */
    @Column(name = "s3_secret_access_key")
    public byte[] s3SecretAccessKey;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
