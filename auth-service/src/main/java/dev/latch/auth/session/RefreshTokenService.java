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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    // Every statement starts from a unique index (token_hash) or a primary key and touches one table, except
    // ROTATE, whose family and user checks are scalar subqueries: PostgreSQL never turns those into joins, so
    // the plan is three index lookups whatever the statistics (HotPathQueryPlanTest proves it at 100k families).
    static final String INSERT_FAMILY = "INSERT INTO refresh_families "
            + "(id, user_id, client_id, scope, created_at, expires_at, last_used_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_TOKEN =
            "INSERT INTO refresh_tokens (id, family_id, token_hash, created_at) VALUES (?, ?, ?, ?)";
    /** The one conditional update that makes rotation atomic: the row lock lets exactly one request win. */
    static final String ROTATE = "UPDATE refresh_tokens t SET rotated_at = ?, successor_id = ?, successor_enc = ? "
            + "WHERE t.token_hash = ? AND t.rotated_at IS NULL AND (SELECT f.revoked_at IS NULL AND f.expires_at > ? "
            + "AND (CAST(? AS varchar) IS NULL OR f.client_id = ? OR f.client_id = 'latch') "
            + "AND (SELECT u.status FROM users u WHERE u.id = f.user_id) = 'ACTIVE' "
            + "FROM refresh_families f WHERE f.id = t.family_id) "
            + "RETURNING t.family_id";

    static final String TOUCH_FAMILY = "UPDATE refresh_families SET last_used_at = ? WHERE id = ?";
    static final String TOKEN_BY_HASH =
            "SELECT family_id, created_at, rotated_at, successor_enc FROM refresh_tokens WHERE token_hash = ?";
    static final String FAMILY_BY_ID =
            "SELECT user_id, client_id, scope, expires_at, revoked_at FROM refresh_families WHERE id = ?";
    static final String USER_STATUS = "SELECT status FROM users WHERE id = ?";
    static final String REVOKE_FAMILY =
            "UPDATE refresh_families SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL";
    static final String REVOKE_USER_FAMILY = "UPDATE refresh_families SET revoked_at = ?1, revoke_reason = ?2 "
            + "WHERE id = ?3 AND user_id = ?4 AND revoked_at IS NULL";
    static final String LIVE_SESSIONS =
            "SELECT id, created_at, last_used_at, expires_at, ip, user_agent FROM refresh_families "
                    + "WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? ORDER BY last_used_at DESC";

    private final AuthConfig config;
    private final EntityManager em;

    public RefreshTokenService(AuthConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    public record Issued(String token, UUID familyId, Instant expiresAt) {}

    public enum Failure {
        UNKNOWN,
        EXPIRED,
        REVOKED,
        USER_DISABLED,
        REUSED,
        CLIENT_MISMATCH
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
            try (PreparedStatement ps = c.prepareStatement(INSERT_FAMILY)) {
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
        byte[] successorEnc =
                successorCipher(presented).encrypt(successor.getBytes(StandardCharsets.US_ASCII), SUCCESSOR_AAD);

        return work(c -> {
            UUID familyId = null;
            try (PreparedStatement ps = c.prepareStatement(ROTATE)) {
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
                try (PreparedStatement ps = c.prepareStatement(TOUCH_FAMILY)) {
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
        Optional<TokenRow> token = token(c, hash);
        if (token.isEmpty()) {
            return failure(Failure.UNKNOWN, null);
        }
        UUID familyId = token.get().familyId();
        FamilyRow family = family(c, familyId);
        if (family.revokedAt() != null) {
            return failure(Failure.REVOKED, familyId);
        }
        if (!family.expiresAt().isAfter(now)) {
            return failure(Failure.EXPIRED, familyId);
        }
        if (!activeUser(c, family.userId())) {
            return failure(Failure.USER_DISABLED, familyId);
        }
        if (requiredClientId != null
                && !requiredClientId.equals(family.clientId())
                && !"latch".equals(family.clientId())) {
            return failure(Failure.CLIENT_MISMATCH, familyId);
        }
        Instant rotatedAt = token.get().rotatedAt();
        byte[] successorEnc = token.get().successorEnc();
        if (rotatedAt != null && !rotatedAt.plus(config.token().refreshGrace()).isBefore(now) && successorEnc != null) {
            String successor = new String(
                    successorCipher(presented).decrypt(successorEnc, SUCCESSOR_AAD), StandardCharsets.US_ASCII);
            return success(c, familyId, successor);
        }
        revokeFamily(c, familyId, "reuse_detected", now);
        return failure(Failure.REUSED, familyId);
    }

    private Outcome success(Connection c, UUID familyId, String token) throws SQLException {
        FamilyRow family = family(c, familyId);
        User user = em.find(User.class, family.userId());
        return new Outcome(
                new Issued(token, familyId, family.expiresAt()),
                user,
                family.clientId(),
                family.scope(),
                null,
                familyId);
    }

    private static Outcome failure(Failure failure, UUID familyId) {
        return new Outcome(null, null, null, null, failure, familyId);
    }

    /** The family of {@code presented}, revoked; empty when the token is unknown. */
    @Transactional
    public Optional<UUID> revokeByToken(String presented, String reason) {
        byte[] hash = SecureTokens.sha256(presented);
        return Optional.ofNullable(work(c -> {
            Optional<TokenRow> token = token(c, hash);
            if (token.isEmpty()) {
                return null;
            }
            revokeFamily(c, token.get().familyId(), reason, Instant.now());
            return token.get().familyId();
        }));
    }

    /** The client a refresh token (current or already rotated) was issued to; empty for an unknown token. */
    @Transactional
    public Optional<String> clientOf(String presented) {
        byte[] hash = SecureTokens.sha256(presented);
        return Optional.ofNullable(work(c -> {
            Optional<TokenRow> token = token(c, hash);
            return token.isEmpty() ? null : family(c, token.get().familyId()).clientId();
        }));
    }

    /** Revokes a family of {@code userId}; false when it is not theirs or already gone. */
    @Transactional
    public boolean revokeFamily(UUID familyId, UUID userId, String reason) {
        return em.createNativeQuery(REVOKE_USER_FAMILY)
                        .setParameter(1, Timestamp.from(Instant.now()))
                        .setParameter(2, reason)
                        .setParameter(3, familyId)
                        .setParameter(4, userId)
                        .executeUpdate()
                == 1;
    }

    public record TokenInfo(
            UUID familyId, UUID userId, String clientId, String scope, Instant issuedAt, Instant expiresAt) {}

    /** For introspection: a current (unrotated, or rotated within grace), unrevoked, unexpired token of an active user. */
    @Transactional
    public Optional<TokenInfo> lookup(String presented) {
        byte[] hash = SecureTokens.sha256(presented);
        Instant now = Instant.now();
        return Optional.ofNullable(work(c -> {
            Optional<TokenRow> token = token(c, hash);
            if (token.isEmpty()
                    || token.get().rotatedAt() != null
                            && token.get()
                                    .rotatedAt()
                                    .plus(config.token().refreshGrace())
                                    .isBefore(now)) {
                return null;
            }
            FamilyRow family = family(c, token.get().familyId());
            if (family.revokedAt() != null || !family.expiresAt().isAfter(now) || !activeUser(c, family.userId())) {
                return null;
            }
            return new TokenInfo(
                    token.get().familyId(),
                    family.userId(),
                    family.clientId(),
                    family.scope(),
                    token.get().createdAt(),
                    family.expiresAt());
        }));
    }

    /** The caller's live sessions, most recently used first. */
    @Transactional
    public List<LiveSession> sessions(UUID userId) {
        return work(c -> {
            try (PreparedStatement ps = c.prepareStatement(LIVE_SESSIONS)) {
                ps.setObject(1, userId);
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                List<LiveSession> sessions = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sessions.add(new LiveSession(
                                rs.getObject(1, UUID.class),
                                rs.getTimestamp(2).toInstant(),
                                rs.getTimestamp(3).toInstant(),
                                rs.getTimestamp(4).toInstant(),
                                rs.getString(5),
                                rs.getString(6)));
                    }
                }
                return sessions;
            }
        });
    }

    /** One live session (refresh-token family) as its owner sees it. */
    public record LiveSession(
            UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String ip, String userAgent) {}

    private record TokenRow(UUID familyId, Instant createdAt, Instant rotatedAt, byte[] successorEnc) {}

    private record FamilyRow(UUID userId, String clientId, String scope, Instant expiresAt, Instant revokedAt) {}

    /** The token of {@code hash}, by its unique index: the first step of every lookup, whatever the statistics say. */
    private static Optional<TokenRow> token(Connection c, byte[] hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TOKEN_BY_HASH)) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp rotated = rs.getTimestamp(3);
                return Optional.of(new TokenRow(
                        rs.getObject(1, UUID.class),
                        rs.getTimestamp(2).toInstant(),
                        rotated == null ? null : rotated.toInstant(),
                        rs.getBytes(4)));
            }
        }
    }

    /** A family by primary key; it exists for every token (foreign key, cascading delete). */
    private static FamilyRow family(Connection c, UUID familyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FAMILY_BY_ID)) {
            ps.setObject(1, familyId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("refresh family " + familyId + " vanished inside its transaction");
                }
                Timestamp revoked = rs.getTimestamp(5);
                return new FamilyRow(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        revoked == null ? null : revoked.toInstant());
            }
        }
    }

    private static boolean activeUser(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(USER_STATUS)) {
            ps.setObject(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && "ACTIVE".equals(rs.getString(1));
            }
        }
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

    private static void insertToken(Connection c, UUID id, UUID familyId, String token, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_TOKEN)) {
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
