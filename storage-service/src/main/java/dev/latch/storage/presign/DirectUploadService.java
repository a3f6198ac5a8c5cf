package dev.latch.storage.presign;

import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import dev.latch.storage.attachment.Attachment;
import dev.latch.storage.attachment.AttachmentRepository;
import dev.latch.storage.attachment.AttachmentService;
import dev.latch.storage.attachment.ContentTypes;
import dev.latch.storage.attachment.Filenames;
import dev.latch.storage.attachment.MeasuringInputStream;
import dev.latch.storage.backend.Backends;
import dev.latch.storage.backend.BlobDeletions;
import dev.latch.storage.backend.S3Backend;
import dev.latch.storage.backend.StorageBackend;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.config.StorageConfig;
import dev.latch.storage.settings.SettingsService;
import dev.latch.storage.settings.StorageSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Direct uploads: the client announces the file, PUTs it to a signed URL (the store's presigned PUT on
 * S3, this service's {@code /file/uploads/{id}} otherwise), then asks for completion. Nothing becomes
 * an attachment until what arrived has been measured, hashed and typed; a mismatch removes the blob.
 * Uploads never completed are removed after their lifetime.
 * <p>
 * On S3 the presigned PUT is bound to the announced length ({@code Content-Length} is signed) and, when
 * announced, to the SHA-256 ({@code x-amz-checksum-sha256}), and it writes the upload key
 * {@code uploads/{id}}, never the attachment's key. Completion copies that object on the store to
 * {@code attachments/{uid}} and verifies the copy — which no URL can write — so a PUT repeated during or
 * after completion cannot change what the attachment serves. The upload key is deleted then, and once
 * more when the URL has expired (a PUT after completion writes it again). One completion of an upload
 * runs at a time (a claim with a lease in {@code direct_uploads}).
 */
@ApplicationScoped
public class DirectUploadService {

    private static final Logger LOG = Logger.getLogger(DirectUploadService.class);
    /** A PUT may still be under way this long after its URL expired. */
    static final Duration PUT_GRACE = Duration.ofMinutes(5);
    /** How long a completion holds its upload; after that another may take over (its replica stopped). */
    static final Duration COMPLETION_LEASE = Duration.ofMinutes(15);

    private record Verified(String type, String sha256) {}

    public record Request(String filename, String type, Long size, String sha256) {}

    public record Ticket(String id, String url, String method, Map<String, String> headers, Instant expiresAt) {}

    private final SettingsService settings;
    private final Backends backends;
    private final ContentTypes types;
    private final BlobDeletions deletions;
    private final AttachmentUrls urls;
    private final UrlSigner signer;
    private final DirectUploadRepository uploads;
    private final AttachmentRepository attachments;
    private final Duration lifetime;

    public DirectUploadService(
            SettingsService settings,
            Backends backends,
            ContentTypes types,
            BlobDeletions deletions,
            AttachmentUrls urls,
            UrlSigner signer,
            DirectUploadRepository uploads,
            AttachmentRepository attachments,
            StorageConfig config) {
        this.settings = settings;
        this.backends = backends;
        this.types = types;
        this.deletions = deletions;
        this.urls = urls;
        this.signer = signer;
        this.uploads = uploads;
        this.attachments = attachments;
        this.lifetime = config.uploadLifetime();
    }

    public Ticket create(String owner, Request req) {
        StorageSettings s = settings.current();
        if (req == null || req.filename() == null || req.filename().isBlank()) {
            throw ProblemException.badRequest("filename is required.");
        }
        if (req.type() == null
                || req.type().isBlank()
                || org.apache.tika.mime.MediaType.parse(req.type().trim()) == null) {
            throw ProblemException.badRequest("type is required and must be a media type such as image/png.");
        }
        if (req.size() == null || req.size() < 0) {
            throw ProblemException.badRequest("size is required and must not be negative.");
        }
        if (req.size() > s.maxUploadBytes()) {
            throw MeasuringInputStream.tooLarge(s.maxUploadBytes());
        }
        String sha = null;
        if (req.sha256() != null) {
            sha = req.sha256().trim().toLowerCase(Locale.ROOT);
            if (!sha.matches("[0-9a-f]{64}")) {
                throw ProblemException.badRequest("sha256 must be 64 hexadecimal characters.");
            }
        }
        String type = org.apache.tika.mime.MediaType.parse(req.type().trim().toLowerCase(Locale.ROOT))
                .getBaseType()
                .toString();
        types.checkAllowed(type, s.allowedTypes());

        DirectUpload u = new DirectUpload();
        u.id = SecureTokens.randomBase62(22);
        u.uid = AttachmentService.newUid();
        u.ownerId = owner;
        u.filename = Filenames.sanitise(req.filename());
        u.contentType = type;
        u.size = req.size();
        u.sha256 = sha;
        u.storageType = s.defaultBackend();
        u.reference = switch (u.storageType) {
            case S3 -> S3Backend.uploadKey(u.id);
            case LOCAL -> u.uid + "/" + u.filename;
            default -> u.uid;
        };
        u.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        u.expiresAt = u.createdAt.plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        Ticket ticket;
        if (u.storageType == StorageType.S3) {
            S3Backend.SignedUrl put = backends.s3()
                    .presignPut(u.reference, Duration.between(Instant.now(), u.expiresAt), type, u.size, u.sha256);
            ticket = new Ticket(u.id, put.url(), "PUT", put.headers(), u.expiresAt);
        } else {
            ticket = new Ticket(
                    u.id,
                    urls.uploadUrl(u.id, u.expiresAt.getEpochSecond()),
                    "PUT",
                    Map.of("Content-Type", type),
                    u.expiresAt);
        }
        QuarkusTransaction.requiringNew().run(() -> uploads.persist(u));
        return ticket;
    }

    /** The signed PUT of DATABASE/LOCAL uploads: streams into the backend, at most the announced size. */
    public void receive(String id, String exp, String sig, InputStream body, long contentLength) {
        signer.verifyUpload(id, exp, sig);
        DirectUpload u = QuarkusTransaction.requiringNew().call(() -> uploads.findById(id));
        if (u == null || u.expiresAt.isBefore(Instant.now())) {
            throw ProblemException.notFound("No such upload.");
        }
        if (u.received) {
            throw ProblemException.conflict("This upload has already been received.");
        }
        if (u.completionLeaseUntil != null && u.completionLeaseUntil.isAfter(Instant.now())) {
            throw ProblemException.conflict("This upload is being completed.");
        }
        if (contentLength > u.size) {
            throw MeasuringInputStream.tooLarge(u.size);
        }
        StorageBackend backend = backends.get(u.storageType);
        backend.write(u.uid, u.filename, u.contentType, new MeasuringInputStream(body, u.size));
        boolean received = QuarkusTransaction.requiringNew().call(() -> uploads.markReceived(id));
        if (!received) {
            deletions.deleteNowOrLater(u.storageType, u.reference);
            throw ProblemException.notFound("No such upload.");
        }
    }

    /**
     * Verifies what arrived and turns it into an attachment; on any mismatch the blob is removed. On S3 the
     * upload key is copied to the attachment's key first and the copy is what is verified and recorded.
     */
    public Attachment complete(String owner, String id) {
        DirectUpload u = id == null || id.length() > 32
                ? null
                : QuarkusTransaction.requiringNew().call(() -> uploads.findById(id));
        if (u == null || !u.ownerId.equals(owner)) {
            throw ProblemException.notFound("No such upload.");
        }
        String claim = claim(u);
        boolean settled = false;
        try {
            Attachment a = verifyAndRecord(u, claim);
            settled = true;
            return a;
        } catch (ProblemException e) {
            // 404/409: someone else settled it (expired, or completed elsewhere); 503: the client may retry
            if (e.status() != 404 && e.status() != 409 && e.status() != 503) {
                discard(u, claim);
                settled = true;
            }
            throw e;
        } finally {
            if (!settled) {
                release(u.id, claim);
            }
        }
    }

    private Attachment verifyAndRecord(DirectUpload u, String claim) {
        StorageBackend backend = backends.get(u.storageType);
        long actual = backend.size(u.reference);
        if (actual < 0) {
            throw ProblemException.badRequest("Nothing has been uploaded yet.");
        }
        StorageSettings s = settings.current();
        if (actual > u.size || actual > s.maxUploadBytes()) {
            throw MeasuringInputStream.tooLarge(Math.min(u.size, s.maxUploadBytes()));
        }
        if (actual != u.size) {
            throw ProblemException.badRequest("The upload has " + actual + " bytes, not the announced " + u.size + ".");
        }
        String reference = u.reference;
        if (u.storageType == StorageType.S3) {
            // from here on only this copy counts: the presigned URL can still write the upload key, not this one
            reference = S3Backend.key(u.uid);
            backends.s3().copy(u.reference, reference, u.contentType);
        }
        Verified v = verify(backend, reference, u, s);

        Attachment a = new Attachment();
        a.uid = u.uid;
        a.ownerId = u.ownerId;
        a.filename = u.filename;
        a.contentType = v.type();
        a.size = actual;
        a.sha256 = v.sha256();
        a.storageType = u.storageType;
        a.reference = reference;
        a.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        boolean done = QuarkusTransaction.requiringNew().call(() -> {
            if (!uploads.deleteClaimed(u.id, claim)) {
                return false;
            }
            if (u.storageType == StorageType.S3) {
                // the presigned PUT works until it expires: whatever it writes until then is removed then
                deletions.schedule(StorageType.S3, u.reference, u.expiresAt.plus(PUT_GRACE));
            }
            attachments.persist(a);
            return true;
        });
        if (!done) {
            boolean exists = QuarkusTransaction.requiringNew().call(() -> uploads.exists(u.id));
            throw exists
                    ? ProblemException.conflict("This upload was completed by another request.")
                    : ProblemException.notFound("No such upload.");
        }
        if (u.storageType == StorageType.S3) {
            try {
                backends.s3().delete(u.reference);
            } catch (RuntimeException e) {
                // the deletion scheduled for the URL's expiry removes it
                LOG.debugf("upload key %s not deleted now: %s", u.reference, e.getMessage());
            }
        }
        return a;
    }

    /** Type, size and SHA-256 of the blob under {@code reference}, checked against what the upload announced. */
    private Verified verify(StorageBackend backend, String reference, DirectUpload u, StorageSettings s) {
        String type;
        String sha;
        try (InputStream in = backend.open(reference, 0, -1)) {
            byte[] prefix = in.readNBytes(ContentTypes.PREFIX_BYTES);
            type = types.detect(prefix, u.filename);
            types.checkAllowed(type, s.allowedTypes());
            types.checkDeclared(u.contentType, type);
            MeasuringInputStream measured =
                    new MeasuringInputStream(new SequenceInputStream(new ByteArrayInputStream(prefix), in), u.size);
            measured.transferTo(OutputStream.nullOutputStream());
            if (measured.count() != u.size) {
                throw ProblemException.badRequest("The upload changed while it was verified.");
            }
            sha = measured.sha256();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (u.sha256 != null && !SecureTokens.constantTimeEquals(u.sha256, sha)) {
            throw ProblemException.badRequest("The upload's SHA-256 does not match the announced one.");
        }
        return new Verified(type, sha);
    }

    /** Claims the upload for one completion (409 while another holds it); the token proves the claim later. */
    private String claim(DirectUpload u) {
        String token = SecureTokens.randomBase62(22);
        Instant now = Instant.now();
        boolean claimed = QuarkusTransaction.requiringNew()
                .call(() -> uploads.claimCompletion(u.id, token, now.plus(COMPLETION_LEASE), now));
        if (!claimed) {
            boolean exists = QuarkusTransaction.requiringNew().call(() -> uploads.exists(u.id));
            throw exists
                    ? ProblemException.conflict("This upload is being completed; try again later.")
                    : ProblemException.notFound("No such upload.");
        }
        return token;
    }

    private void release(String id, String claim) {
        try {
            QuarkusTransaction.requiringNew().run(() -> uploads.releaseClaim(id, claim));
        } catch (RuntimeException e) {
            // the lease runs out on its own
            LOG.debugf("claim on upload %s not released: %s", id, e.getMessage());
        }
    }

    private void discard(DirectUpload u, String claim) {
        List<Long> pending = QuarkusTransaction.requiringNew()
                .call(() -> uploads.deleteClaimed(u.id, claim) ? scheduleRemoval(u) : List.<Long>of());
        pending.forEach(deletions::attempt);
    }

    /**
     * Schedules the removal of every blob an upload that will not complete may have left; call in the
     * transaction that deletes its row. The ids are the deletions to try at once.
     */
    private List<Long> scheduleRemoval(DirectUpload u) {
        List<Long> now = new ArrayList<>();
        now.add(deletions.schedule(u.storageType, u.reference));
        if (u.storageType == StorageType.S3) {
            // a copy made by a completion that did not finish (no attachment has this uid)
            now.add(deletions.schedule(StorageType.S3, S3Backend.key(u.uid)));
            Instant urlDead = u.expiresAt.plus(PUT_GRACE);
            if (urlDead.isAfter(Instant.now())) {
                // the presigned PUT still works until then: what it writes meanwhile is removed then
                deletions.schedule(StorageType.S3, u.reference, urlDead);
            }
        }
        return now;
    }

    /**
     * Removes uploads whose lifetime is over (a PUT may still be under way at the very end: a short grace),
     * unless a completion holds them.
     */
    @Scheduled(
            identity = "expired-uploads",
            every = "${latch.storage.jobs.interval}",
            delayed = "${latch.storage.jobs.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void removeExpired() {
        Instant now = Instant.now();
        Instant cutoff = now.minus(PUT_GRACE);
        List<DirectUpload> expired = QuarkusTransaction.requiringNew().call(() -> uploads.expired(cutoff, now, 100));
        for (DirectUpload u : expired) {
            QuarkusTransaction.requiringNew().run(() -> {
                if (uploads.deleteIfExpired(u.id, cutoff, now)) {
                    scheduleRemoval(u);
                }
            });
            LOG.debugf("direct upload %s expired; its blob is scheduled for deletion", u.id);
        }
    }
}
