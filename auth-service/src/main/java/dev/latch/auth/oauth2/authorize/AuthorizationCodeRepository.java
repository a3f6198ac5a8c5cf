package dev.latch.auth.oauth2.authorize;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every query on {@code authorization_codes}, each by primary key except the clean-up of old codes and the clients
 * of a browser session (at its logout).
 */
@ApplicationScoped
public class AuthorizationCodeRepository implements PanacheRepositoryBase<AuthorizationCode, byte[]> {

    /** Marks the code used; false when it is unknown or was used before (the row lock lets one request win). */
    public boolean use(byte[] codeHash, Instant now) {
        return update("usedAt = ?1 where codeHash = ?2 and usedAt is null", now, codeHash) == 1;
    }

    public Optional<AuthorizationCode> findByHash(byte[] codeHash) {
        return findByIdOptional(codeHash);
    }

    public void recordFamily(byte[] codeHash, UUID familyId) {
        update("refreshFamilyId = ?1 where codeHash = ?2", familyId, codeHash);
    }

    /** Codes expired before {@code before}: long enough ago that a second use is only an expired code. */
    public long deleteExpired(Instant before) {
        return delete("expiresAt < ?1", before);
    }

    /**
     * The clients that got codes through a browser session, so ID tokens: those told of its logout. Only codes not
     * yet cleaned up count (see {@link #deleteExpired}); clients that keep a refresh token are known by its family.
     */
    public List<String> clientsOfBrowserSession(UUID browserSessionId) {
        return getEntityManager()
                .createQuery(
                        "select distinct clientId from AuthorizationCode where browserSessionId = :sid", String.class)
                .setParameter("sid", browserSessionId)
                .getResultList();
    }
}
