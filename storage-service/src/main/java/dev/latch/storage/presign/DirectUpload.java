package dev.latch.storage.presign;

import dev.latch.storage.config.StorageConfig.StorageType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A direct upload announced by a client: what it promised, where the bytes go, until when. */
@Entity
@Table(name = "direct_uploads")
public class DirectUpload extends PanacheEntityBase {

    @Id
    public String id;
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
    public boolean received;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
}
