package dev.latch.storage.attachment;

import dev.latch.storage.config.StorageConfig.StorageType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An attachment record: the blob lives on {@code storageType} under {@code reference}, never a URL. */
@Entity
@Table(name = "attachments")
public class Attachment extends PanacheEntityBase {

    @Id
    public String uid;
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
