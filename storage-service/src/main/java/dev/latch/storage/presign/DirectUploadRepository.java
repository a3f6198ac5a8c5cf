package dev.latch.storage.presign;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The queries on {@code direct_uploads}. Callers bring the transaction. */
@ApplicationScoped
public class DirectUploadRepository implements PanacheRepositoryBase<DirectUpload, String> {

    /** Past {@code ?1} and held by no completion whose lease runs after {@code ?2}. */
    private static final String EXPIRED =
            "expiresAt < ?1 and (completionLeaseUntil is null or completionLeaseUntil < ?2)";

    boolean exists(String id) {
        return count("id", id) > 0;
    }

    /** False when the upload is gone (expired and removed meanwhile). */
    boolean markReceived(String id) {
        return update("received = true where id = ?1", id) > 0;
    }

    /** Claims the upload for one completion until {@code leaseUntil}, unless another holds it after {@code now}. */
    boolean claimCompletion(String id, String claim, Instant leaseUntil, Instant now) {
        return update(
                        "completionClaim = ?1, completionLeaseUntil = ?2 where id = ?3"
                                + " and (completionLeaseUntil is null or completionLeaseUntil < ?4)",
                        claim,
                        leaseUntil,
                        id,
                        now)
                > 0;
    }

    void releaseClaim(String id, String claim) {
        update("completionClaim = null, completionLeaseUntil = null where id = ?1 and completionClaim = ?2", id, claim);
    }

    /** Deletes the upload if {@code claim} still holds it; false when it does not (taken over, or gone). */
    boolean deleteClaimed(String id, String claim) {
        return delete("id = ?1 and completionClaim = ?2", id, claim) > 0;
    }

    /** Up to {@code limit} uploads that expired before {@code cutoff} and no completion holds at {@code now}. */
    List<DirectUpload> expired(Instant cutoff, Instant now, int limit) {
        return find(EXPIRED, cutoff, now).page(0, limit).list();
    }

    /** Deletes the upload if it is still expired and unclaimed; false when a completion took it meanwhile. */
    boolean deleteIfExpired(String id, Instant cutoff, Instant now) {
        return delete(EXPIRED + " and id = ?3", cutoff, now, id) > 0;
    }
}
