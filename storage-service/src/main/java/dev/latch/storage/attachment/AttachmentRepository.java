package dev.latch.storage.attachment;

import dev.latch.storage.backend.StorageType;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The queries on {@code attachments}. Callers bring the transaction. */
@ApplicationScoped
public class AttachmentRepository implements PanacheRepositoryBase<Attachment, String> {

    /** Those still to move by migration {@code migrationId}: on {@code from}, and not given up on by it. */
    private static final String TO_MIGRATE =
            "storageType = ?1 and uid not in" + " (select f.uid from MigrationFailure f where f.migrationId = ?2)";

    /**
     * Up to {@code limit} of the owner's attachments, newest first, after the one created at {@code afterTime} with
     * {@code afterUid} (from the start when {@code afterTime} is null).
     */
    List<Attachment> newestFirst(String owner, Instant afterTime, String afterUid, int limit) {
        return (afterTime == null
                        ? find("ownerId = ?1 order by createdAt desc, uid desc", owner)
                        : find(
                                "ownerId = ?1 and (createdAt < ?2 or (createdAt = ?2 and uid < ?3))"
                                        + " order by createdAt desc, uid desc",
                                owner,
                                afterTime,
                                afterUid))
                .page(0, limit)
                .list();
    }

    /** Deletes the record if it still points at that blob; false when it was deleted or moved meanwhile. */
    boolean deleteIfUnchanged(String uid, StorageType storageType, String reference) {
        return delete("uid = ?1 and storageType = ?2 and reference = ?3", uid, storageType, reference) > 0;
    }

    public long countOn(StorageType storageType) {
        return count("storageType", storageType);
    }

    /** The next {@code limit} attachments migration {@code migrationId} has to move off {@code from}, oldest first. */
    public List<Attachment> nextToMigrate(StorageType from, String migrationId, int limit) {
        return find(TO_MIGRATE + " order by createdAt, uid", from, migrationId)
                .page(0, limit)
                .list();
    }

    public long countLeftToMigrate(StorageType from, String migrationId) {
        return count(TO_MIGRATE, from, migrationId);
    }

    /** Points the record at its copy, only if it still points at the blob that was copied; false otherwise. */
    public boolean switchBlob(
            String uid, StorageType fromType, String fromReference, StorageType toType, String toReference) {
        return update(
                        "storageType = ?1, reference = ?2 where uid = ?3 and storageType = ?4 and reference = ?5",
                        toType,
                        toReference,
                        uid,
                        fromType,
                        fromReference)
                == 1;
    }
}
