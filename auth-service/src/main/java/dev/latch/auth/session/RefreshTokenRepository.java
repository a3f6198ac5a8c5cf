package dev.latch.auth.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.query.NativeQuery;

/**
 * Every query on {@code refresh_families} and {@code refresh_tokens}. Each starts from a unique index
 * ({@code token_hash}) or a primary key and touches one table, except the rotation (see {@link #ROTATE});
 * HotPathQueryPlanTest proves the plans of the statements these issue at 100k families.
 */
@ApplicationScoped
public class RefreshTokenRepository {

    static final String ROTATE_QUERY = "RefreshToken.rotate";

    /**
     * The one conditional update that makes rotation atomic: the row lock lets exactly one request win. Native
     * because the family and user checks are scalar subqueries, which PostgreSQL never turns into joins: the plan
     * is three index lookups whatever the statistics (HotPathQueryPlanTest proves it at 100k families).
     */
    static final String ROTATE = "UPDATE refresh_tokens t SET rotated_at = ?, successor_id = ?, successor_enc = ? "
            + "WHERE t.token_hash = ? AND t.rotated_at IS NULL AND (SELECT f.revoked_at IS NULL AND f.expires_at > ? "
            + "AND (CAST(? AS varchar) IS NULL OR f.client_id = ? OR f.client_id = 'latch') "
            + "AND (SELECT u.status FROM users u WHERE u.id = f.user_id) = 'ACTIVE' "
            + "FROM refresh_families f WHERE f.id = t.family_id) "
            + "RETURNING t.family_id";

    private final EntityManager em;

    public RefreshTokenRepository(EntityManager em) {
        this.em = em;
    }

    public void insert(RefreshFamily family) {
        em.persist(family);
    }

    public void insert(RefreshToken token) {
        em.persist(token);
    }

    /**
     * Marks the live token of {@code tokenHash} rotated to {@code successorId} if its family is unrevoked, unexpired,
     * of an active user and (when {@code requiredClientId} is set) issued to that client or to the first party.
     *
     * @return the family, empty when the token is unknown, already rotated or its family fails a check
     */
    public Optional<UUID> rotate(
            byte[] tokenHash, Instant now, UUID successorId, byte[] successorEnc, String requiredClientId) {
        List<?> rows = em.createNamedQuery(ROTATE_QUERY)
                .unwrap(NativeQuery.class)
                .addScalar("family_id", UUID.class)
                .setParameter(1, now)
                .setParameter(2, successorId)
                .setParameter(3, successorEnc)
                .setParameter(4, tokenHash)
                .setParameter(5, now)
                .setParameter(6, requiredClientId, String.class)
                .setParameter(7, requiredClientId, String.class)
                .getResultList();
        return rows.stream().findFirst().map(UUID.class::cast);
    }

    public void touch(UUID familyId, Instant now) {
        em.createQuery("update RefreshFamily set lastUsedAt = :now where id = :id")
                .setParameter("now", now)
                .setParameter("id", familyId)
                .executeUpdate();
    }

    /** The token of {@code tokenHash} (current or rotated), by its unique index. */
    public Optional<RefreshToken> tokenByHash(byte[] tokenHash) {
        return em.createQuery("from RefreshToken where tokenHash = :hash", RefreshToken.class)
                .setParameter("hash", tokenHash)
                .getResultStream()
                .findFirst();
    }

    /** A family by primary key; it exists for every token (foreign key, cascading delete). */
    public RefreshFamily family(UUID familyId) {
        RefreshFamily family = em.find(RefreshFamily.class, familyId);
        if (family == null) {
            throw new IllegalStateException("refresh family " + familyId + " vanished inside its transaction");
        }
        return family;
    }

    public void revokeFamily(UUID familyId, String reason, Instant now) {
        em.createQuery("update RefreshFamily set revokedAt = :now, revokeReason = :reason "
                        + "where id = :id and revokedAt is null")
                .setParameter("now", now)
                .setParameter("reason", reason)
                .setParameter("id", familyId)
                .executeUpdate();
    }

    /** Revokes a family of {@code userId}; false when it is not theirs or already revoked. */
    public boolean revokeFamilyOf(UUID familyId, UUID userId, String reason, Instant now) {
        return em.createQuery("update RefreshFamily set revokedAt = :now, revokeReason = :reason "
                                + "where id = :id and userId = :userId and revokedAt is null")
                        .setParameter("now", now)
                        .setParameter("reason", reason)
                        .setParameter("id", familyId)
                        .setParameter("userId", userId)
                        .executeUpdate()
                == 1;
    }

    /** The user's unrevoked, unexpired families, most recently used first. */
    public List<RefreshFamily> liveFamilies(UUID userId, Instant now) {
        return em.createQuery(
                        "from RefreshFamily where userId = :userId and revokedAt is null and expiresAt > :now "
                                + "order by lastUsedAt desc",
                        RefreshFamily.class)
                .setParameter("userId", userId)
                .setParameter("now", now)
                .getResultList();
    }

    /** Revokes the live families of a browser session; the client ids they were issued to. */
    public List<String> revokeOfBrowserSession(UUID browserSessionId, String reason, Instant now) {
        List<String> clients = em.createQuery(
                        "select distinct clientId from RefreshFamily where browserSessionId = :sid and revokedAt is null",
                        String.class)
                .setParameter("sid", browserSessionId)
                .getResultList();
        em.createQuery("update RefreshFamily set revokedAt = :now, revokeReason = :reason "
                        + "where browserSessionId = :sid and revokedAt is null")
                .setParameter("now", now)
                .setParameter("reason", reason)
                .setParameter("sid", browserSessionId)
                .executeUpdate();
        return clients;
    }

    /** Revokes the user's live families issued to a client (a withdrawn consent); how many. */
    public int revokeOfClient(UUID userId, String clientId, String reason, Instant now) {
        return em.createQuery("update RefreshFamily set revokedAt = :now, revokeReason = :reason "
                        + "where userId = :userId and clientId = :clientId and revokedAt is null")
                .setParameter("now", now)
                .setParameter("reason", reason)
                .setParameter("userId", userId)
                .setParameter("clientId", clientId)
                .executeUpdate();
    }
}
