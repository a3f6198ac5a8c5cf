package dev.latch.storage.attachment;

import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import dev.latch.common.web.Page;
import dev.latch.storage.backend.Backends;
import dev.latch.storage.backend.BlobDeletions;
import dev.latch.storage.backend.StorageBackend;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.settings.SettingsService;
import dev.latch.storage.settings.StorageSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Uploads, lists, finds and deletes attachments; the blob goes to the default backend of the moment. */
@ApplicationScoped
public class AttachmentService {

    private static final Logger LOG = Logger.getLogger(AttachmentService.class);

    private final SettingsService settings;
    private final Backends backends;
    private final ContentTypes types;
    private final BlobDeletions deletions;
    private final AttachmentRepository attachments;

    public AttachmentService(
            SettingsService settings,
            Backends backends,
            ContentTypes types,
            BlobDeletions deletions,
            AttachmentRepository attachments) {
        this.settings = settings;
        this.backends = backends;
        this.types = types;
        this.deletions = deletions;
        this.attachments = attachments;
    }

    /** Who is asking: the token's subject, and whether it is an ADMIN (who sees everything). */
    public record Caller(String id, boolean admin) {}

    public static String newUid() {
        return SecureTokens.randomBase62(22);
    }

    /**
     * Streams an upload into the default backend: type detected from the first bytes and checked (415),
     * size and SHA-256 measured on the way, the limit enforced as bytes arrive (413). The record is
     * written only once the blob is complete; on any failure neither remains.
     *
     * @param declaredLength the length the client announced, or -1
     */
    public Attachment upload(
            String owner, String rawFilename, String declaredType, InputStream body, long declaredLength) {
        StorageSettings s = settings.current();
        if (declaredLength > s.maxUploadBytes()) {
            throw MeasuringInputStream.tooLarge(s.maxUploadBytes());
        }
        String filename = Filenames.sanitise(rawFilename);
        byte[] prefix = readPrefix(body);
        String type = types.detect(prefix, filename);
        types.checkAllowed(type, s.allowedTypes());
        types.checkDeclared(declaredType, type);

        MeasuringInputStream measured = new MeasuringInputStream(
                new SequenceInputStream(new ByteArrayInputStream(prefix), body), s.maxUploadBytes());
        String uid = newUid();
        StorageBackend backend = backends.get(s.defaultBackend());
        String reference = backend.write(uid, filename, type, measured);
        Attachment a = new Attachment();
        a.uid = uid;
        a.ownerId = owner;
        a.filename = filename;
        a.contentType = type;
        a.size = measured.count();
        a.sha256 = measured.sha256();
        a.storageType = backend.type();
        a.reference = reference;
        a.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        try {
            QuarkusTransaction.requiringNew().run(() -> attachments.persist(a));
        } catch (RuntimeException e) {
            deletions.deleteNowOrLater(backend.type(), reference);
            throw e;
        }
        LOG.debugf("stored %s (%d bytes, %s) on %s", uid, a.size, type, backend.type());
        return a;
    }

    static byte[] readPrefix(InputStream in) {
        try {
            return in.readNBytes(ContentTypes.PREFIX_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The attachment if the caller owns it or is an ADMIN; 404 otherwise (existence is not revealed). */
    public Attachment find(String uid, Caller caller) {
        Attachment a = uid == null || uid.length() > 32
                ? null
                : QuarkusTransaction.requiringNew().call(() -> attachments.findById(uid));
        if (a == null || !(caller.admin() || a.ownerId.equals(caller.id()))) {
            throw ProblemException.notFound("No such attachment.");
        }
        return a;
    }

    public Optional<Attachment> findAny(String uid) {
        return QuarkusTransaction.requiringNew().call(() -> attachments.findByIdOptional(uid));
    }

    /** The owner's attachments, newest first; the cursor is the last item's (createdAt, uid). */
    public Page<Attachment> list(String owner, Integer pageSize, String pageToken) {
        int size = Page.size(pageSize);
        Instant afterTime = null;
        String afterUid = null;
        if (pageToken != null && !pageToken.isEmpty()) {
            String[] parts = Page.decodeToken(pageToken).split("\\|", 2);
            try {
                long micros = Long.parseLong(parts[0]);
                afterTime = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
                afterUid = parts[1];
            } catch (RuntimeException e) {
                throw ProblemException.badRequest("pageToken is not valid.");
            }
        }
        Instant t = afterTime;
        String u = afterUid;
        List<Attachment> rows =
                QuarkusTransaction.requiringNew().call(() -> attachments.newestFirst(owner, t, u, size + 1));
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            Attachment last = rows.get(size - 1);
            next = Page.encodeToken(ChronoUnit.MICROS.between(Instant.EPOCH, last.createdAt) + "|" + last.uid);
        }
        return new Page<>(rows, next);
    }

    /** Removes the record and its blob; a blob the store cannot delete now is deleted later by the retry job. */
    public void delete(String uid, Caller caller) {
        Attachment a = find(uid, caller);
        Long pending = QuarkusTransaction.requiringNew().call(() -> {
            if (!attachments.deleteIfUnchanged(a.uid, a.storageType, a.reference)) {
                // deleted or moved by someone else meanwhile
                return -1L;
            }
            return a.storageType == StorageType.EXTERNAL ? null : deletions.schedule(a.storageType, a.reference);
        });
        if (pending != null && pending == -1L) {
            throw ProblemException.notFound("No such attachment.");
        }
        if (pending != null) {
            deletions.attempt(pending);
        }
    }
}
