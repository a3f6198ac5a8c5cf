package dev.latch.auth.session;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.session.Rotation.Failure;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserRepository;
import dev.latch.common.security.AesGcm;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Refresh tokens: opaque 256-bit secrets stored only as SHA-256, grouped in families (one sign-in
 * session each) with an absolute lifetime that rotation never extends.
 *
 * <p>Rotation is one conditional {@code UPDATE … WHERE rotated_at IS NULL} ({@link RefreshTokenRepository#ROTATE}):
 * PostgreSQL's row lock lets exactly one concurrent request win. The winner stores the successor's secret
 * encrypted under a key derived from the presented token, so the losers — holding the same token within the
 * grace window — get the same successor instead of a second branch. After the window, a rotated token is
 * evidence of theft: the whole family is revoked.
 */
@ApplicationScoped
public class RefreshTokenService {

    private static final String SUCCESSOR_AAD = "latch.refresh.successor";

    private final AuthConfig config;
    private final RefreshTokenRepository repository;
    private final UserRepository users;
    private final AuditService audit;

    public RefreshTokenService(
            AuthConfig config, RefreshTokenRepository repository, UserRepository users, AuditService audit) {
        this.audit = audit;
        this.config = config;
        this.repository = repository;
        this.users = users;
    }

    public record Issued(String token, UUID familyId, Instant expiresAt) {}

    @Transactional
    public Issued issue(User user, String clientId, String scope, String ip, String userAgent) {
        return issue(user, clientId, scope, ip, userAgent, null);
    }

    /** A new family, issued through browser session {@code browserSessionId} (ended with it) when not null. */
    @Transactional
    public Issued issue(User user, String clientId, String scope, String ip, String userAgent, UUID browserSessionId) {
        Instant now = Instant.now();
        RefreshFamily family = new RefreshFamily();
        family.id = UUID.randomUUID();
        family.userId = user.id;
        family.clientId = clientId;
        family.scope = scope;
        family.browserSessionId = browserSessionId;
        family.createdAt = now;
        family.expiresAt = now.plus(config.token().refreshTtl());
        family.lastUsedAt = now;
        family.ip = truncate(ip, 64);
        family.userAgent = truncate(userAgent, 512);
        repository.insert(family);
        String token = SecureTokens.randomBase64Url(32);
        insertToken(UUID.randomUUID(), family.id, token, now);
        return new Issued(token, family.id, family.expiresAt);
    }

    /**
     * Rotates {@code presented}. Commits in every case, so a detected reuse really revokes the
     * family; the caller turns a refusal into a 401.
     */
    @Transactional
    public Rotation rotate(String presented, String requiredClientId) {
        byte[] hash = SecureTokens.sha256(presented);
        Instant now = Instant.now();
        String successor = SecureTokens.randomBase64Url(32);
        UUID successorId = UUID.randomUUID();
        byte[] successorEnc =
                successorCipher(presented).encrypt(successor.getBytes(StandardCharsets.US_ASCII), SUCCESSOR_AAD);

        Optional<UUID> rotated = repository.rotate(hash, now, successorId, successorEnc, requiredClientId);
        if (rotated.isEmpty()) {
            return explainRefusal(presented, hash, now, requiredClientId);
        }
        UUID familyId = rotated.get();
        insertToken(successorId, familyId, successor, now);
        repository.touch(familyId, now);
        return rotated(familyId, successor);
    }

    /** Why the rotation did not happen — or, within the grace window, the successor a concurrent request stored. */
    private Rotation explainRefusal(String presented, byte[] hash, Instant now, String requiredClientId) {
        Optional<RefreshToken> found = repository.tokenByHash(hash);
        if (found.isEmpty()) {
            return new Rotation.Refused(Failure.UNKNOWN, null);
        }
        RefreshToken token = found.get();
        RefreshFamily family = repository.family(token.familyId);
        if (family.revokedAt != null) {
            return new Rotation.Refused(Failure.REVOKED, family.id);
        }
        if (!family.expiresAt.isAfter(now)) {
            return new Rotation.Refused(Failure.EXPIRED, family.id);
        }
        Optional<User> owner = users.findActive(family.userId);
        if (owner.isEmpty()) {
            return new Rotation.Refused(Failure.USER_DISABLED, family.id);
        }
        if (requiredClientId != null && !requiredClientId.equals(family.clientId) && !"latch".equals(family.clientId)) {
            return new Rotation.Refused(Failure.CLIENT_MISMATCH, family.id);
        }
        // only a rotated token has a stored successor
        if (current(token, now) && token.successorEnc != null) {
            String stored = new String(
                    successorCipher(presented).decrypt(token.successorEnc, SUCCESSOR_AAD), StandardCharsets.US_ASCII);
            return rotated(family.id, stored);
        }
        repository.revokeFamily(family.id, "reuse_detected", now);
        // in the rotation's own transaction: the revocation and its audit event commit together
        // the session's owner: whoever presented the token, it is this user's session that was revoked
        audit.record(
                AuditService.REFRESH_REUSE_DETECTED,
                owner.get().id.toString(),
                owner.get().username,
                Map.of("session_id", family.id.toString()));
        return new Rotation.Refused(Failure.REUSED, family.id);
    }

    /**
     * The grace rule: a token is current until its rotation is {@code refreshGrace} old, so the requests that lost
     * the rotation race (and introspection meanwhile) still accept it.
     */
    private boolean current(RefreshToken token, Instant now) {
        return token.rotatedAt == null
                || !token.rotatedAt.plus(config.token().refreshGrace()).isBefore(now);
    }

    private Rotation rotated(UUID familyId, String token) {
        RefreshFamily family = repository.family(familyId);
        User user = users.findById(family.userId);
        return new Rotation.Rotated(new Issued(token, familyId, family.expiresAt), user, family.clientId, family.scope);
    }

    /** The family of {@code presented}, revoked; empty when the token is unknown. */
    @Transactional
    public Optional<UUID> revokeByToken(String presented, String reason) {
        Optional<RefreshToken> token = repository.tokenByHash(SecureTokens.sha256(presented));
        token.ifPresent(t -> repository.revokeFamily(t.familyId, reason, Instant.now()));
        return token.map(t -> t.familyId);
    }

    /** The client a refresh token (current or already rotated) was issued to; empty for an unknown token. */
    @Transactional
    public Optional<String> clientOf(String presented) {
        return repository.tokenByHash(SecureTokens.sha256(presented)).map(t -> repository.family(t.familyId).clientId);
    }

    /** Revokes a family by id (what a reused authorization code issued). */
    @Transactional
    public void revoke(UUID familyId, String reason) {
        repository.revokeFamily(familyId, reason, Instant.now());
    }

    /** Revokes every family issued through a browser session (its logout); the clients they were issued to. */
    @Transactional
    public List<String> revokeOfBrowserSession(UUID browserSessionId, String reason) {
        return repository.revokeOfBrowserSession(browserSessionId, reason, Instant.now());
    }

    /** Revokes every family of the user issued to a client (the user withdrew the client's consent). */
    @Transactional
    public int revokeOfClient(UUID userId, String clientId, String reason) {
        return repository.revokeOfClient(userId, clientId, reason, Instant.now());
    }

    /** Revokes a family of {@code userId}; false when it is not theirs or already gone. */
    @Transactional
    public boolean revokeFamily(UUID familyId, UUID userId, String reason) {
        return repository.revokeFamilyOf(familyId, userId, reason, Instant.now());
    }

    /** A live refresh token's session, with its user's name (read once, with the user's status). */
    public record TokenInfo(
            UUID familyId,
            UUID userId,
            String username,
            String clientId,
            String scope,
            Instant issuedAt,
            Instant expiresAt) {}

    /** For introspection: a current (unrotated, or rotated within grace), unrevoked, unexpired token of an active user. */
    @Transactional
    public Optional<TokenInfo> lookup(String presented) {
        Instant now = Instant.now();
        Optional<RefreshToken> token = repository.tokenByHash(SecureTokens.sha256(presented));
        if (token.isEmpty() || !current(token.get(), now)) {
            return Optional.empty();
        }
        RefreshFamily family = repository.family(token.get().familyId);
        if (family.revokedAt != null || !family.expiresAt.isAfter(now)) {
            return Optional.empty();
        }
        return users.findActive(family.userId)
                .map(user -> new TokenInfo(
                        family.id,
                        family.userId,
                        user.username,
                        family.clientId,
                        family.scope,
                        token.get().createdAt,
                        family.expiresAt));
    }

    /**
     * Takes over the session the broker has just created for a provider login: {@code presented} must be the unrotated
     * first token of a live first-party family of an active user, created at most {@code maxAge} ago. The family is
     * revoked (it served only to carry the login to the login page) and its user returned; empty for anything else,
     * and for the second of two concurrent calls.
     */
    @Transactional
    public Optional<User> takeHandover(String presented, String firstPartyClient, Duration maxAge) {
        if (presented == null || presented.isEmpty() || presented.length() > 128) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        Optional<RefreshToken> token = repository.tokenByHash(SecureTokens.sha256(presented));
        if (token.isEmpty() || token.get().rotatedAt != null) {
            return Optional.empty();
        }
        RefreshFamily family = repository.family(token.get().familyId);
        if (family.revokedAt != null
                || !family.expiresAt.isAfter(now)
                || !firstPartyClient.equals(family.clientId)
                || family.browserSessionId != null
                || family.createdAt.isBefore(now.minus(maxAge))) {
            return Optional.empty();
        }
        Optional<User> user = users.findActive(family.userId);
        if (user.isEmpty() || !repository.revokeFamilyOf(family.id, family.userId, "handed_over", now)) {
            return Optional.empty();
        }
        return user;
    }

    /** The caller's live sessions, most recently used first. */
    @Transactional
    public List<LiveSession> sessions(UUID userId) {
        return repository.liveFamilies(userId, Instant.now()).stream()
                .map(f -> new LiveSession(f.id, f.createdAt, f.lastUsedAt, f.expiresAt, f.ip, f.userAgent))
                .toList();
    }

    /** One live session (refresh-token family) as its owner sees it. */
    public record LiveSession(
            UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String ip, String userAgent) {}

    private void insertToken(UUID id, UUID familyId, String secret, Instant now) {
        RefreshToken token = new RefreshToken();
        token.id = id;
        token.familyId = familyId;
        token.tokenHash = SecureTokens.sha256(secret);
        token.createdAt = now;
        repository.insert(token);
    }

    /** Only the holder of {@code presented} can open the successor stored for it. */
    private static AesGcm successorCipher(String presented) {
        return new AesGcm(SecureTokens.sha256(SUCCESSOR_AAD + ":" + presented));
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
