package dev.latch.storage.migration;

import dev.latch.common.error.ProblemException;
import dev.latch.common.security.SecureTokens;
import dev.latch.storage.attachment.Attachment;
import dev.latch.storage.attachment.AttachmentRepository;
import dev.latch.storage.attachment.MeasuringInputStream;
import dev.latch.storage.backend.Backends;
import dev.latch.storage.backend.BlobDeletions;
import dev.latch.storage.backend.BlobMissingException;
import dev.latch.storage.backend.StorageBackend;
import dev.latch.storage.backend.StorageType;
import dev.latch.storage.backend.StorageUnavailableException;
import dev.latch.storage.config.StorageConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Moves attachments between backends in the background. For each attachment on the source: copy the
 * blob, read the copy back and compare its SHA-256 with the record, switch the record (only if it still
 * points at the source), then delete the old blob (retried if the store is down). Progress and a lease
 * live in PostgreSQL, so a migration resumes after a restart, on this or another replica; an
 * unreachable store — also one that goes away while a blob is read or written — pauses it rather than
 * failing items; the interrupted attachment is copied again when it resumes (the copy replaces a partial one).
 */
@ApplicationScoped
public class MigrationService {

    private static final Logger LOG = Logger.getLogger(MigrationService.class);
    private static final int BATCH = 20;
    private static final Set<StorageType> BLOB_TYPES = Set.of(StorageType.DATABASE, StorageType.LOCAL, StorageType.S3);

    private final Backends backends;
    private final BlobDeletions deletions;
    private final MigrationRepository migrations;
    private final AttachmentRepository attachments;
    private final Duration lease;
    private final String instance = SecureTokens.randomBase62(12);
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "latch-storage-migration");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;

    public MigrationService(
            Backends backends,
            BlobDeletions deletions,
            MigrationRepository migrations,
            AttachmentRepository attachments,
            StorageConfig config) {
        this.backends = backends;
        this.deletions = deletions;
        this.migrations = migrations;
        this.attachments = attachments;
        this.lease = config.jobs().migrationLease();
    }

    public Migration start(String from, String to) {
        StorageType source = type(from, "from");
        StorageType target = type(to, "to");
        if (source == target) {
            throw ProblemException.badRequest("from and to must be different backends.");
        }
        Migration m = new Migration();
        m.id = SecureTokens.randomBase62(22);
        m.from = source;
        m.to = target;
        m.status = Migration.Status.RUNNING;
        m.createdAt = Instant.now();
        m.updatedAt = m.createdAt;
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                m.total = (int) attachments.countOn(source);
                // flushed here, so that a second running migration fails on the unique index inside this block
                migrations.persistAndFlush(m);
            });
        } catch (PersistenceException e) {
            throw ProblemException.conflict("Another migration is running; wait for it to finish.");
        }
        LOG.infof("migration %s started: %s -> %s, %d attachments", m.id, source, target, m.total);
        submit(m.id);
        return m;
    }

    public Migration get(String id) {
        Migration m = id == null || id.length() > 32
                ? null
                : QuarkusTransaction.requiringNew().call(() -> migrations.findById(id));
        if (m == null) {
            throw ProblemException.notFound("No such migration.");
        }
        return m;
    }

    private static StorageType type(String value, String field) {
        for (StorageType t : BLOB_TYPES) {
            if (t.name().equals(value)) {
                return t;
            }
        }
        throw ProblemException.badRequest(field + " must be DATABASE, LOCAL or S3.");
    }

    void onStart(@Observes StartupEvent event) {
        resumeAbandoned();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Picks up running migrations whose lease has run out (their replica stopped, or the store was down). */
    @Scheduled(
            identity = "migration-resume",
            every = "${latch.storage.jobs.interval}",
            delayed = "${latch.storage.jobs.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void resumeAbandoned() {
        List<String> ids = QuarkusTransaction.requiringNew().call(() -> migrations.abandonedIds(Instant.now()));
        ids.forEach(this::submit);
    }

    private void submit(String id) {
        if (!stopping && running.add(id)) {
            executor.submit(() -> {
                try {
                    run(id);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "migration %s stopped unexpectedly; it resumes when its lease runs out", id);
                } finally {
                    running.remove(id);
                }
            });
        }
    }

    private boolean claim(String id) {
        Instant now = Instant.now();
        return QuarkusTransaction.requiringNew().call(() -> migrations.claimLease(id, instance, now.plus(lease), now));
    }

    void run(String id) {
        if (!claim(id)) {
            return;
        }
        Migration m = get(id);
        StorageBackend source = backends.get(m.from);
        StorageBackend target = backends.get(m.to);
        try {
            while (!stopping) {
                List<Attachment> batch =
                        QuarkusTransaction.requiringNew().call(() -> attachments.nextToMigrate(m.from, id, BATCH));
                if (batch.isEmpty()) {
                    QuarkusTransaction.requiringNew().run(() -> migrations.markCompleted(id, Instant.now()));
                    Migration done = get(id);
                    LOG.infof("migration %s completed: %d moved, %d failed", id, done.done, done.failed);
                    return;
                }
                for (Attachment a : batch) {
                    if (stopping || !claim(id)) {
                        return;
                    }
                    String failure;
                    try {
                        failure = moveOne(a, source, target);
                    } catch (StorageUnavailableException e) {
                        throw e;
                    } catch (UncheckedIOException e) {
                        // a store went away while the blob was read or written: pause, and copy it again later
                        throw new StorageUnavailableException(
                                "I/O failed while moving " + a.uid + ": " + e.getMessage());
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "migration %s could not move %s", id, a.uid);
                        failure = "the copy failed (" + e.getClass().getSimpleName() + ")";
                    }
                    String reason = failure;
                    QuarkusTransaction.requiringNew().run(() -> {
                        if (reason == null) {
                            migrations.countMoved(id, Instant.now());
                        } else {
                            migrations.countFailed(id, a.uid, reason, Instant.now());
                        }
                        migrations.updateTotal(id, (int) attachments.countLeftToMigrate(m.from, id));
                    });
                }
            }
        } catch (StorageUnavailableException e) {
            // pause: the lease runs out and the scheduled job resumes it once the store answers again
            LOG.warnf("migration %s paused: %s", id, e.reason());
        }
    }

    /** Moves one attachment; null when done, else why it was skipped. Throws when a store is unreachable. */
    private String moveOne(Attachment a, StorageBackend source, StorageBackend target) {
        String copy;
        try (InputStream in = source.open(a.reference, 0, -1)) {
            MeasuringInputStream measured = new MeasuringInputStream(in, Long.MAX_VALUE);
            copy = target.write(a.uid, a.filename, a.contentType, measured);
            if (!measured.sha256().equals(a.sha256)) {
                target.delete(copy);
                if (measured.count() < a.size && source.size(a.reference) == a.size) {
                    // the blob is whole but its read ended early: the store went away in the middle of it
                    throw new StorageUnavailableException(
                            "the read of " + a.uid + " ended after " + measured.count() + " of " + a.size + " bytes");
                }
                return "the source blob does not match the recorded SHA-256";
            }
        } catch (BlobMissingException e) {
            return "the source blob is missing";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String copied;
        long readBack;
        try (InputStream back = target.open(copy, 0, -1)) {
            MeasuringInputStream measured = new MeasuringInputStream(back, Long.MAX_VALUE);
            measured.transferTo(OutputStream.nullOutputStream());
            copied = measured.sha256();
            readBack = measured.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!copied.equals(a.sha256)) {
            if (readBack < a.size && target.size(copy) == a.size) {
                // the copy is whole but reading it back ended early: write and check it again later
                throw new StorageUnavailableException(
                        "reading back " + a.uid + " ended after " + readBack + " of " + a.size + " bytes");
            }
            target.delete(copy);
            return "the copy does not match the recorded SHA-256";
        }
        Long pending = QuarkusTransaction.requiringNew().call(() -> {
            boolean switched = attachments.switchBlob(a.uid, a.storageType, a.reference, target.type(), copy);
            return switched ? deletions.schedule(a.storageType, a.reference) : -1L;
        });
        if (pending == -1L) {
            // deleted or changed meanwhile: the copy is not needed
            deletions.deleteNowOrLater(target.type(), copy);
            return null;
        }
        deletions.attempt(pending);
        return null;
    }
}
