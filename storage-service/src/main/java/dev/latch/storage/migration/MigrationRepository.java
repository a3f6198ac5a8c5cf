package dev.latch.storage.migration;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The queries on {@code storage_migrations} and {@code storage_migration_failures}. Callers bring the transaction. */
@ApplicationScoped
public class MigrationRepository implements PanacheRepositoryBase<Migration, String> {

    /** Running migrations whose lease has run out at {@code now} (or that never had one). */
    List<String> abandonedIds(Instant now) {
        return find("status = ?1 and (leaseUntil is null or leaseUntil < ?2)", Migration.Status.RUNNING, now)
                .list()
                .stream()
                .map(m -> m.id)
                .toList();
    }

    /** Takes or renews the lease of a running migration; false when another replica holds it. */
    boolean claimLease(String id, String owner, Instant leaseUntil, Instant now) {
        return update(
                        "leaseOwner = ?1, leaseUntil = ?2 where id = ?3 and status = ?4"
                                + " and (leaseUntil is null or leaseUntil < ?5 or leaseOwner = ?1)",
                        owner,
                        leaseUntil,
                        id,
                        Migration.Status.RUNNING,
                        now)
                == 1;
    }

    void markCompleted(String id, Instant now) {
        update(
                "status = ?1, finishedAt = ?2, updatedAt = ?2, total = done + failed, leaseUntil = null where id = ?3",
                Migration.Status.COMPLETED,
                now,
                id);
    }

    void countMoved(String id, Instant now) {
        update("done = done + 1, updatedAt = ?1 where id = ?2", now, id);
    }

    /** Records that {@code uid} could not be moved, and why; the migration skips it from now on. */
    void countFailed(String id, String uid, String reason, Instant now) {
        MigrationFailure f = new MigrationFailure();
        f.migrationId = id;
        f.uid = uid;
        f.reason = reason;
        getEntityManager().persist(f);
        update("failed = failed + 1, updatedAt = ?1 where id = ?2", now, id);
    }

    /** The total becomes what is settled plus {@code remaining}. */
    void updateTotal(String id, int remaining) {
        update("total = done + failed + ?1 where id = ?2", remaining, id);
    }
}
