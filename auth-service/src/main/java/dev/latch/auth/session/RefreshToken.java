package dev.latch.auth.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One refresh token of a family, stored as the SHA-256 of its secret. */
@Entity
@Table(name = "refresh_tokens")
@NamedNativeQuery(name = RefreshToken.ROTATE_QUERY, query = RefreshToken.ROTATE)
public class RefreshToken {

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

    @Id
    public UUID id;

    @Column(name = "family_id")
    public UUID familyId;

    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "rotated_at")
    public Instant rotatedAt;

    @Column(name = "successor_id")
    public UUID successorId;

    /** The successor's secret, encrypted under a key derived from this token's secret. */
    @Column(name = "successor_enc")
    public byte[] successorEnc;
}
