package dev.latch.storage.presign;

import dev.latch.common.config.PublicBaseUrl;
import dev.latch.storage.attachment.Attachment;
import dev.latch.storage.attachment.ContentTypes;
import dev.latch.storage.backend.S3Backend;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.settings.SettingsService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Signs an attachment's URL when it is read (URLs are never stored): with S3 and PRESIGNED delivery the
 * store's own presigned GET, otherwise this service's HMAC-signed {@code /file/attachments/…} URL.
 */
@ApplicationScoped
public class AttachmentUrls {

    public record IssuedUrl(String url, Instant expiresAt) {}

    private final SettingsService settings;
    private final S3Backend s3;
    private final UrlSigner signer;
    private final PublicBaseUrl publicBaseUrl;

    public AttachmentUrls(SettingsService settings, S3Backend s3, UrlSigner signer, PublicBaseUrl publicBaseUrl) {
        this.settings = settings;
        this.s3 = s3;
        this.signer = signer;
        this.publicBaseUrl = publicBaseUrl;
    }

    /** A URL with the configured default lifetime. */
    public IssuedUrl issue(Attachment a) {
        return issue(a, settings.current().urlTtlSeconds());
    }

    public IssuedUrl issue(Attachment a, int ttlSeconds) {
        if (a.storageType == StorageType.EXTERNAL) {
            return new IssuedUrl(a.reference, null);
        }
        if (a.storageType == StorageType.S3 && settings.current().delivery() == Delivery.PRESIGNED) {
            S3Backend.SignedUrl signed = presignedGet(a, ttlSeconds);
            return new IssuedUrl(signed.url(), signed.expiresAt());
        }
        long exp = Instant.now().getEpochSecond() + ttlSeconds;
        return new IssuedUrl(fileUrl(a.uid, a.filename, exp), Instant.ofEpochSecond(exp));
    }

    /** The store's presigned GET, answering with the stored type and a safe disposition. */
    public S3Backend.SignedUrl presignedGet(Attachment a, int ttlSeconds) {
        return s3.presignGet(
                a.reference,
                Duration.ofSeconds(ttlSeconds),
                a.contentType,
                ContentDisposition.of(ContentTypes.inline(a.contentType), a.filename));
    }

    public String fileUrl(String uid, String filename, long exp) {
        return publicBaseUrl.resolve("/file/attachments/" + uid + "/" + ContentDisposition.encodePathSegment(filename)
                + "?exp=" + exp + "&sig=" + signer.signDownload(uid, filename, exp));
    }

    public String uploadUrl(String id, long exp) {
        return publicBaseUrl.resolve("/file/uploads/" + id + "?exp=" + exp + "&sig=" + signer.signUpload(id, exp));
    }
}
