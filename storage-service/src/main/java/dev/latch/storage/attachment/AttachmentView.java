package dev.latch.storage.attachment;

import java.time.Instant;

/** An attachment as the API shows it, with a URL signed just now. */
public record AttachmentView(
        String uid,
        String owner,
        String filename,
        String type,
        long size,
        String sha256,
        String storageType,
        String reference,
        Instant createdAt,
        String url,
        Instant urlExpiresAt) {

    public static AttachmentView of(Attachment a, String url, Instant urlExpiresAt) {
        return new AttachmentView(
                a.uid,
                a.ownerId,
                a.filename,
                a.contentType,
                a.size,
                a.sha256,
                a.storageType.name(),
                a.reference,
                a.createdAt,
                url,
                urlExpiresAt);
    }
}
