package dev.latch.storage.attachment;

import dev.latch.storage.backend.StorageType;
import jakarta.persistence.Column;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/**
 * What an attachment and a direct upload both record about a blob: its owner and file metadata, and
 * where it lives ({@code storageType} and {@code reference}, never a URL).
 */
@MappedSuperclass
public abstract class BlobRecord {

    @Column(name = "owner_id")
    public String ownerId;

    public String filename;

    @Column(name = "content_type")
    public String contentType;

    public long size;
    public String sha256;

    @Enumerated(EnumType.STRING)
    @Column(name = "storage_type")
    public StorageType storageType;

    public String reference;

    @Column(name = "created_at")
    public Instant createdAt;
}
