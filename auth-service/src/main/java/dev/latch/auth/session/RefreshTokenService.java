package dev.latch.auth.session;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.user.User;
import dev.latch.common.security.AesGcm;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Refresh tokens: opaque 256-bit secrets stored only as SHA-256, grouped in families (one sign-in
 * session each) with an absolute lifetime that rotation never extends.
 *
 * <p>Rotation is one conditional {@code UPDATE … WHERE rotated_at IS NULL}: PostgreSQL's row lock
 * lets exactly one concurrent request win. The winner stores the successor's secret encrypted under
 * a key derived from the presented token, so the losers — holding the same token within the grace
 * window — get the same successor instead of a second branch. After the window, a rotated token is
 * evidence of theft: the whole family is revoked.
 */
@ApplicationScoped
public class RefreshTokenService {

    private static final String SUCCESSOR_AAD = "latch.refresh.successor";

    private final AuthConfig config;
    private final EntityManager em;

    public RefreshTokenService(AuthConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    public record Issued(String token, UUID familyId, Instant expiresAt) {
    }

    public enum Failure {
        UNKNOWN, EXPIRED, REVOKED, USER_DISABLED, REUSED, CLIENT_MISMATCH
    }

    /** Either a rotated token (with its user) or why not. */
    public record Outcome(Issued issued, User user, String clientId, String scope, Failure failure, UUID familyId) {
        public boolean ok() {
            return failure == null;
        }
    }

    @Transactional
    public Issued issue(User user, String clientId, String scope, String ip, String userAgent) {
        UUID familyId = UUID.randomUUID();
        Instant now = Instant.now();
        Instant expires = now.plus(config.token().refreshTtl());
        String token = SecureTokens.randomBase64Url(32);
        work(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_families "
                    + "(id, user_id, client_id, scope, created_at, expires_at, last_used_at, ip, user_agent) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, familyId);
                ps.setObject(2, user.id);
                ps.setString(3, clientId);
                ps.setString(4, scope);
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setTimestamp(6, Timestamp.from(expires));
                ps.setTimestamp(7, Timestamp.from(now));
                ps.setString(8, truncate(ip, 64));
                ps.setString(9, truncate(userAgent, 512));
                ps.executeUpdate();
            }
            insertToken(c, UUID.randomUUID(), familyId, token, now);
            return null;
        });
        return new Issued(token, familyId, expires);
    }

    /**
     * Rotates {@code presented}. Commits in every case, so a detected reuse really revokes the
     * family; the caller turns a failure into a 401.
     */
    @Transactional
    public Outcome rotate(String presented, String requiredClientId) {
        byte[] hash = SecureTokens.sha256(presented);
        Instant now = Instant.now();
        String successor = SecureTokens.randomBase64Url(32);
        UUID successorId = UUID.randomUUID();
        byte[] successorEnc = successorCipher(presented).encrypt(successor.getBytes(StandardCharsets.US_ASCII), SUCCESSOR_AAD);

        return work(c -> {
            UUID familyId = null;
            try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_tokens t "
                    + "SET rotated_at = ?, successor_id = ?, successor_enc = ? "
                    + "FROM refresh_families f JOIN users u ON u.id = f.user_id "
                    + "WHERE t.token_hash = ? AND t.rotated_at IS NULL AND f.id = t.family_id "
                    + "AND f.revoked_at IS NULL AND f.expires_at > ? AND u.status = 'ACTIVE' "
                    + "AND (? IS NULL OR f.client_id = ? OR f.client_id = 'latch') "
                    + "RETURNING t.family_id")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setObject(2, successorId);
                ps.setBytes(3, successorEnc);
                ps.setBytes(4, hash);
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setString(6, requiredClientId);
                ps.setString(7, requiredClientId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        familyId = rs.getObject(1, UUID.class);
                    }
                }
            }
            if (familyId != null) {
                insertToken(c, successorId, familyId, successor, now);
                try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_families SET last_used_at = ? WHERE id = ?")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setObject(2, familyId);
                    ps.executeUpdate();
                }
                return success(c, familyId, successor);
            }
            return explainFailure(c, presented, hash, now, requiredClientId);
        });
    }

    private Outcome explainFailure(Connection c, String presented, byte[] hash, Instant now, String requiredClientId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT t.family_id, t.rotated_at, t.successor_enc, "
                + "f.revoked_at, f.expires_at, u.status, f.client_id FROM refresh_tokens t "
                + "JOIN refresh_families f ON f.id = t.family_id JOIN users u ON u.id = f.user_id WHERE t.token_hash = ?")) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return failure(Failure.UNKNOWN, null);
                }
                UUID familyId = rs.getObject(1, UUID.class);
                Timestamp rotatedAt = rs.getTimestamp(2);
                byte[] successorEnc = rs.getBytes(3);
                if (rs.getTimestamp(4) != null) {
                    return failure(Failure.REVOKED, familyId);
                }
                if (!rs.getTimestamp(5).toInstant().isAfter(now)) {
                    return failure(Failure.EXPIRED, familyId);
                }
                if (!"ACTIVE".equals(rs.getString(6))) {
                    return failure(Failure.USER_DISABLED, familyId);
                }
                String familyClient = rs.getString(7);
                if (requiredClientId != null && !requiredClientId.equals(familyClient) && !"latch".equals(familyClient)) {
                    return failure(Failure.CLIENT_MISMATCH, familyId);
                }
                if (rotatedAt != null && !rotatedAt.toInstant().plus(config.token().refreshGrace()).isBefore(now)
                        && successorEnc != null) {
                    String successor = new String(successorCipher(presented).decrypt(successorEnc, SUCCESSOR_AAD),
                            StandardCharsets.US_ASCII);
                    return success(c, familyId, successor);
                }
                revokeFamily(c, familyId, "reuse_detected", now);
                return failure(Failure.REUSED, familyId);
            }
        }
    }

    private Outcome success(Connection c, UUID familyId, String token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT user_id, expires_at, client_id, scope FROM refresh_families WHERE id = ?")) {
            ps.setObject(1, familyId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                User user = em.find(User.class, rs.getObject(1, UUID.class));
                return new Outcome(new Issued(token, familyId, rs.getTimestamp(2).toInstant()), user, rs.getString(3),
                        rs.getString(4), null, familyId);
            }
        }
    }

    private static Outcome failure(Failure failure, UUID familyId) {
        return new Outcome(null, null, null, null, failure, familyId);
    }

    /** The family of {@code presented}, revoked; empty when the token is unknown. */
    @Transactional
    public java.util.Optional<UUID> revokeByToken(String presented, String reason) {
        byte[] hash = SecureTokens.sha256(presented);
        return java.util.Optional.ofNullable(work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT family_id FROM refresh_tokens WHERE token_hash = ?")) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    UUID familyId = rs.getObject(1, UUID.class);
                    revokeFamily(c, familyId, reason, Instant.now());
                    return familyId;
                }
            }
        }));
    }

    /** The client a refresh token (current or already rotated) was issued to; empty for an unknown token. */
    @Transactional
    public java.util.Optional<String> clientOf(String presented) {
        byte[] hash = SecureTokens.sha256(presented);
        return java.util.Optional.ofNullable(work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT f.client_id FROM refresh_tokens t "
                    + "JOIN refresh_families f ON f.id = t.family_id WHERE t.token_hash = ?")) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }));
    }

    /** Revokes a family of {@code userId}; false when it is not theirs or already gone. */
    @Transactional
    public boolean revokeFamily(UUID familyId, UUID userId, String reason) {
        return em.createNativeQuery("UPDATE refresh_families SET revoked_at = ?1, revoke_reason = ?2 "
                + "WHERE id = ?3 AND user_id = ?4 AND revoked_at IS NULL")
                .setParameter(1, Timestamp.from(Instant.now()))
                .setParameter(2, reason)
                .setParameter(3, familyId)
                .setParameter(4, userId)
                .executeUpdate() == 1;
    }

    public record TokenInfo(UUID familyId, UUID userId, String clientId, String scope, Instant issuedAt, Instant expiresAt) {
    }

    /** For introspection: a current (unrotated, or rotated within grace), unrevoked, unexpired token of an active user. */
    @Transactional
    public java.util.Optional<TokenInfo> lookup(String presented) {
        byte[] hash = SecureTokens.sha256(presented);
        Instant now = Instant.now();
        return java.util.Optional.ofNullable(work(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.user_id, f.client_id, f.scope, t.created_at, "
                    + "f.expires_at, t.rotated_at FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id "
                    + "JOIN users u ON u.id = f.user_id WHERE t.token_hash = ? AND f.revoked_at IS NULL "
                    + "AND f.expires_at > ? AND u.status = 'ACTIVE'")) {
                ps.setBytes(1, hash);
                ps.setTimestamp(2, Timestamp.from(now));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Timestamp rotated = rs.getTimestamp(7);
                    if (rotated != null && rotated.toInstant().plus(config.token().refreshGrace()).isBefore(now)) {
                        return null;
                    }
                    return new TokenInfo(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant());
                }
            }
        }));
    }

    private static void revokeFamily(Connection c, UUID familyId, String reason, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_families SET revoked_at = ?, revoke_reason = ? "
                + "WHERE id = ? AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, reason);
            ps.setObject(3, familyId);
            ps.executeUpdate();
        }
    }

    private static void insertToken(Connection c, UUID id, UUID familyId, String token, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO refresh_tokens (id, family_id, token_hash, created_at) VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, familyId);
            ps.setBytes(3, SecureTokens.sha256(token));
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** Only the holder of {@code presented} can open the successor stored for it. */
    private static AesGcm successorCipher(String presented) {
        return new AesGcm(SecureTokens.sha256(SUCCESSOR_AAD + ":" + presented));
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T work(Work<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::run);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
