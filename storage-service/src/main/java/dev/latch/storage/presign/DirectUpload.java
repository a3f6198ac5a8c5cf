package dev.latch.storage.presign;

import dev.latch.storage.attachment.BlobRecord;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A direct upload announced by a client: what it promised ({@code size}, and {@code sha256} when given),
 * where the bytes go ({@code reference}: the blob itself on DATABASE/LOCAL, the upload key
 * {@code uploads/{id}} on S3), until when. {@code uid} is the attachment it becomes. A completion in
 * progress holds {@code completionClaim} until {@code completionLeaseUntil}.
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

    @Column(name = "completion_claim")
    public String completionClaim;

    @Column(name = "completion_lease_until")
    public Instant completionLeaseUntil;
}
