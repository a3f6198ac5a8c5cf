package dev.latch.storage.backend;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The queries on {@code pending_deletions}. Callers bring the transaction. */
@ApplicationScoped
public class PendingDeletionRepository implements PanacheRepositoryBase<PendingDeletion, Long> {

    void recordFailedAttempt(long id, int attempts, Instant nextAttemptAt, String lastError) {
        update(
                "attempts = ?1, nextAttemptAt = ?2, lastError = ?3 where id = ?4",
                attempts,
                nextAttemptAt,
                lastError,
                id);
    }

    /** Removes the row; no error when it is gone already (another replica or the job removed it). */
    void remove(long id) {
        delete("id", id);
    }

    /** Up to {@code limit} deletions due at {@code now}, the longest-waiting first. */
    List<Long> dueIds(Instant now, int limit) {
        return find("nextAttemptAt <= ?1 order by nextAttemptAt", now).page(0, limit).list().stream()
                .map(p -> p.id)
                .toList();
    }
}
