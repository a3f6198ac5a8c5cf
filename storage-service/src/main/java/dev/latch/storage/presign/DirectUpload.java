package dev.latch.storage.presign;

import dev.latch.storage.attachment.BlobRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A direct upload announced by a client: what it promised ({@code size}, and {@code sha256} when given),
 * where the bytes go, until when. {@code uid} is the attachment it becomes.
 */
@Entity
@Table(name = "direct_uploads")
public class DirectUpload extends BlobRecord {

    @Id
    public String id;
    public String uid;
    public boolean received;
    @Column(name = "expires_at")
    public Instant expiresAt;
}
