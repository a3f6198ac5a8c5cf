package dev.latch.storage.presign;

import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import dev.latch.storage.attachment.Attachment;
import dev.latch.storage.attachment.AttachmentService;
import dev.latch.storage.attachment.ContentTypes;
import dev.latch.storage.attachment.Filenames;
import dev.latch.storage.attachment.MeasuringInputStream;
import dev.latch.storage.backend.Backends;
import dev.latch.storage.backend.BlobDeletions;
import dev.latch.storage.backend.S3Backend;
import dev.latch.storage.backend.StorageBackend;
import dev.latch.storage.config.StorageConfig;
import dev.latch.storage.config.StorageConfig.StorageType;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Direct uploads: the client announces the file, PUTs it to a signed URL (the store's presigned PUT on
 * S3, this service's {@code /file/uploads/{id}} otherwise), then asks for completion. Nothing becomes
 * an attachment until what arrived has been measured, hashed and typed; a mismatch removes the blob.
 * Uploads never completed are removed after their lifetime.
 */
@ApplicationScoped
public class DirectUploadService {

    private static final Logger LOG = Logger.getLogger(DirectUploadService.class);

    public record Request(String filename, String type, Long size, String sha256) {
    }

    public record Ticket(String id, String url, String method, Map<String, String> headers, Instant expiresAt) {
    }

    private final SettingsService settings;
    private final Backends backends;
    private final ContentTypes types;
    private final BlobDeletions deletions;
    private final AttachmentUrls urls;
    private final UrlSigner signer;
    private final Duration lifetime;

    public DirectUploadService(SettingsService settings, Backends backends, ContentTypes types, BlobDeletions deletions,
            AttachmentUrls urls, UrlSigner signer, StorageConfig config) {
        this.settings = settings;
        this.backends = backends;
        this.types = types;
        this.deletions = deletions;
        this.urls = urls;
        this.signer = signer;
        this.lifetime = config.uploadLifetime();
    }

    public Ticket create(String owner, Request req) {
        StorageSettings s = settings.current();
        if (req == null || req.filename() == null || req.filename().isBlank()) {
            throw ProblemException.badRequest("filename is required.");
        }
        if (req.type() == null || req.type().isBlank() || org.apache.tika.mime.MediaType.parse(req.type().trim()) == null) {
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
        String type = org.apache.tika.mime.MediaType.parse(req.type().trim().toLowerCase(Locale.ROOT)).getBaseType().toString();
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
            case S3 -> S3Backend.key(u.uid);
            case LOCAL -> u.uid + "/" + u.filename;
            default -> u.uid;
        };
        u.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        u.expiresAt = u.createdAt.plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
        Ticket ticket;
        if (u.storageType == StorageType.S3) {
            S3Backend.SignedUrl put = backends.s3().presignPut(u.reference, Duration.between(Instant.now(), u.expiresAt), type);
            ticket = new Ticket(u.id, put.url(), "PUT", put.headers(), u.expiresAt);
        } else {
            ticket = new Ticket(u.id, urls.uploadUrl(u.id, u.expiresAt.getEpochSecond()), "PUT",
                    Map.of("Content-Type", type), u.expiresAt);
        }
        QuarkusTransaction.requiringNew().run(u::persist);
        return ticket;
    }

    /** The signed PUT of DATABASE/LOCAL uploads: streams into the backend, at most the announced size. */
    public void receive(String id, String exp, String sig, InputStream body, long contentLength) {
        signer.verifyUpload(id, exp, sig);
        DirectUpload u = QuarkusTransaction.requiringNew().call(() -> DirectUpload.<DirectUpload>findById(id));
        if (u == null || u.expiresAt.isBefore(Instant.now())) {
            throw ProblemException.notFound("No such upload.");
        }
        if (u.received) {
            throw ProblemException.conflict("This upload has already been received.");
        }
        if (contentLength > u.size) {
            throw MeasuringInputStream.tooLarge(u.size);
        }
        StorageBackend backend = backends.get(u.storageType);
        backend.write(u.uid, u.filename, u.contentType, new MeasuringInputStream(body, u.size));
        long updated = QuarkusTransaction.requiringNew().call(() -> DirectUpload.update("received = true where id = ?1", id));
        if (updated == 0) {
            deletions.deleteNowOrLater(u.storageType, u.reference);
            throw ProblemException.notFound("No such upload.");
        }
    }

    /** Verifies what arrived and turns it into an attachment; on any mismatch the blob is removed. */
    public Attachment complete(String owner, String id) {
        DirectUpload u = id == null || id.length() > 32 ? null
                : QuarkusTransaction.requiringNew().call(() -> DirectUpload.<DirectUpload>findById(id));
        if (u == null || !u.ownerId.equals(owner)) {
            throw ProblemException.notFound("No such upload.");
        }
        StorageBackend backend = backends.get(u.storageType);
        long actual = backend.size(u.reference);
        if (actual < 0) {
            throw ProblemException.badRequest("Nothing has been uploaded yet.");
        }
        StorageSettings s = settings.current();
        try {
            if (actual > u.size || actual > s.maxUploadBytes()) {
                throw MeasuringInputStream.tooLarge(Math.min(u.size, s.maxUploadBytes()));
            }
            if (actual != u.size) {
                throw ProblemException.badRequest("The upload has " + actual + " bytes, not the announced " + u.size + ".");
            }
            String type;
            String sha;
            try (InputStream in = backend.open(u.reference, 0, -1)) {
                byte[] prefix = in.readNBytes(ContentTypes.PREFIX_BYTES);
                type = types.detect(prefix, u.filename);
                types.checkAllowed(type, s.allowedTypes());
                types.checkDeclared(u.contentType, type);
                MeasuringInputStream measured = new MeasuringInputStream(
                        new SequenceInputStream(new ByteArrayInputStream(prefix), in), u.size);
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
            Attachment a = new Attachment();
            a.uid = u.uid;
            a.ownerId = u.ownerId;
            a.filename = u.filename;
            a.contentType = type;
            a.size = actual;
            a.sha256 = sha;
            a.storageType = u.storageType;
            a.reference = u.reference;
            a.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            boolean done = QuarkusTransaction.requiringNew().call(() -> {
                if (DirectUpload.delete("id", id) == 0) {
                    return false;
                }
                a.persist();
                return true;
            });
            if (!done) {
                throw ProblemException.notFound("No such upload.");
            }
            return a;
        } catch (ProblemException e) {
            if (e.status() != 404 && e.status() != 503) {
                discard(u);
            }
            throw e;
        }
    }

    private void discard(DirectUpload u) {
        Long pending = QuarkusTransaction.requiringNew().call(() -> DirectUpload.delete("id", u.id) > 0
                ? deletions.schedule(u.storageType, u.reference) : null);
        if (pending != null) {
            deletions.attempt(pending);
        }
    }

    /** Removes uploads whose lifetime is over (a PUT may still be under way at the very end: a short grace). */
    @Scheduled(identity = "expired-uploads", every = "${latch.storage.jobs.interval}", delayed = "${latch.storage.jobs.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void removeExpired() {
        Instant cutoff = Instant.now().minus(Duration.ofMinutes(5));
        List<DirectUpload> expired = QuarkusTransaction.requiringNew().call(() -> DirectUpload.<DirectUpload>find(
                "expiresAt < ?1", cutoff).page(0, 100).list());
        for (DirectUpload u : expired) {
            QuarkusTransaction.requiringNew().run(() -> {
                if (DirectUpload.delete("id", u.id) > 0) {
                    deletions.schedule(u.storageType, u.reference);
                }
            });
            LOG.debugf("direct upload %s expired; its blob is scheduled for deletion", u.id);
        }
    }
}
