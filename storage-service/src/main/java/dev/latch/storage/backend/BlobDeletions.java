package dev.latch.storage.backend;

import dev.latch.storage.config.StorageConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes blobs reliably. The intent is written to {@code pending_deletions} in the same transaction
 * that removes the record, the blob is then deleted at once, and a blob that cannot be deleted now (the
 * store is down) is retried by a scheduled job with growing delays — never forgotten.
 */
@ApplicationScoped
public class BlobDeletions {

    private static final Logger LOG = Logger.getLogger(BlobDeletions.class);
    private static final Duration MAX_DELAY = Duration.ofHours(1);

    private final Backends backends;
    private final PendingDeletionRepository pending;
    private final Duration retryDelay;

    public BlobDeletions(Backends backends, PendingDeletionRepository pending, StorageConfig config) {
        this.backends = backends;
        this.pending = pending;
        this.retryDelay = config.jobs().retryDelay();
    }

    /**
     * Records the intent; call inside the transaction that removes the blob's record. The caller tries
     * the deletion at once with {@link #attempt}; the job only looks at it after the first retry delay.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long schedule(StorageType type, String reference) {
        return schedule(type, reference, Instant.now().plus(retryDelay));
    }

    /**
     * Records a deletion the job makes at {@code notBefore} at the earliest: for a blob that may still be
     * written until then (an S3 upload key whose presigned PUT has not expired yet). Call inside a transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long schedule(StorageType type, String reference, Instant notBefore) {
        PendingDeletion p = new PendingDeletion();
        p.storageType = type;
        p.reference = reference;
        p.createdAt = Instant.now();
        p.nextAttemptAt = notBefore;
        pending.persist(p);
        return p.id;
    }

    /** Schedules in a transaction of its own and tries at once. */
    public void deleteNowOrLater(StorageType type, String reference) {
        long id = QuarkusTransaction.requiringNew().call(() -> schedule(type, reference));
        attempt(id);
    }

    /** Tries one pending deletion now (outside any transaction); true when the blob is gone. */
    public boolean attempt(long id) {
        PendingDeletion p = QuarkusTransaction.requiringNew().call(() -> pending.findById(id));
        if (p == null) {
            return true;
        }
        try {
            backends.get(p.storageType).delete(p.reference);
        } catch (RuntimeException e) {
            String reason = e instanceof StorageUnavailableException su
                    ? su.reason()
                    : e.getClass().getSimpleName();
            int attempts = p.attempts + 1;
            Duration delay = retryDelay.multipliedBy(1L << Math.min(attempts - 1, 20));
            Instant next = Instant.now().plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
            String lastError = reason.length() > 255 ? reason.substring(0, 255) : reason;
            QuarkusTransaction.requiringNew().run(() -> pending.recordFailedAttempt(id, attempts, next, lastError));
            LOG.warnf(
                    "blob %s on %s not deleted (attempt %d), retrying at %s: %s",
                    p.reference, p.storageType, attempts, next, reason);
            return false;
        }
        // a bulk delete: another replica or the job may have removed the row already
        QuarkusTransaction.requiringNew().run(() -> pending.remove(id));
        return true;
    }

    @Scheduled(
            identity = "blob-deletions",
            every = "${latch.storage.jobs.interval}",
            delayed = "${latch.storage.jobs.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void retryDue() {
        List<Long> due = QuarkusTransaction.requiringNew().call(() -> pending.dueIds(Instant.now(), 100));
        for (Long id : due) {
            attempt(id);
        }
    }
}
