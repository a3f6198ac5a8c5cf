package dev.latch.auth.pat;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Every query on {@code personal_access_tokens}. */
@ApplicationScoped
public class PatRepository implements PanacheRepositoryBase<PersonalAccessToken, UUID> {

    public Optional<PersonalAccessToken> findByHash(byte[] tokenHash) {
        return find("tokenHash", tokenHash).firstResultOptional();
    }

    /** The user's unrevoked tokens, newest first (expired ones too: the owner sees and deletes them). */
    public List<PersonalAccessToken> listUnrevoked(UUID userId) {
        return list("userId = ?1 and revokedAt is null order by createdAt desc", userId);
    }

    /** Records use at {@code now} unless a replica already did since {@code notBefore}. */
    public void markUsed(UUID id, Instant now, Instant notBefore) {
        getEntityManager()
                .createNativeQuery("UPDATE personal_access_tokens SET last_used_at = ?1 WHERE id = ?2 "
                        + "AND (last_used_at IS NULL OR last_used_at < ?3)")
                .setParameter(1, Timestamp.from(now))
                .setParameter(2, id)
                .setParameter(3, Timestamp.from(notBefore))
                .executeUpdate();
    }
}
