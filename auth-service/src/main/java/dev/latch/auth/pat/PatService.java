package dev.latch.auth.pat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latch.auth.audit.AuditService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.user.User;
import dev.latch.common.auth.Scopes;
import dev.latch.common.error.ProblemException;
import dev.latch.common.security.PersonalAccessTokens;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

@ApplicationScoped
public class PatService {

    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9:._-]{1,64}");
    /** The longest lifetime a PAT may be given; the request body's bound. */
    public static final int MAX_EXPIRY_DAYS = 3650;

    private static final int LAST_WRITTEN_MAX = 100_000;

    private final AuditService audit;
    private final PatRepository repository;
    private final Duration lastUsedResolution;
    /**
     * When this replica last wrote each token's last-used time: at most one write per token per resolution.
     * Bounded, and an entry is useless after one resolution, so it expires then.
     */
    private final Cache<UUID, Instant> lastWritten;

    public PatService(AuditService audit, PatRepository repository, AuthConfig config) {
        this.audit = audit;
        this.repository = repository;
        this.lastUsedResolution = config.token().patLastUsedResolution();
        this.lastWritten = Caffeine.newBuilder()
                .maximumSize(LAST_WRITTEN_MAX)
                .expireAfterWrite(lastUsedResolution)
                .build();
    }

    public record Created(PersonalAccessToken pat, String token) {}

    /** A new PAT; {@code name} and {@code expiresInDays} come validated (the request body's constraints). */
    @Transactional
    public Created create(User user, String name, List<String> scopes, Integer expiresInDays) {
        List<String> scopeList = scopes == null ? List.of() : scopes;
        for (String s : scopeList) {
            if (s == null || !SCOPE.matcher(s).matches()) {
                throw ProblemException.badRequest("scopes must be words of A-Z, a-z, 0-9, ':', '.', '_' and '-'.");
            }
            if (!Scopes.VOCABULARY.contains(s)) {
                throw ProblemException.badRequest("Unknown scope " + s + "; scopes are "
                        + String.join(", ", Scopes.VOCABULARY.stream().sorted().toList()) + ".");
            }
        }
        if (scopeList.contains(Scopes.ADMIN) && user.role != User.Role.ADMIN) {
            throw ProblemException.forbidden("Only an ADMIN can create a token with the admin scope.");
        }
        String token = PersonalAccessTokens.generate();
        PersonalAccessToken pat = new PersonalAccessToken();
        pat.id = UUID.randomUUID();
        pat.userId = user.id;
        pat.name = name.trim();
        pat.tokenHash = SecureTokens.sha256(token);
        pat.scopes = String.join(" ", scopeList.stream().distinct().toList());
        pat.createdAt = Instant.now();
        pat.expiresAt = expiresInDays == null ? null : pat.createdAt.plus(Duration.ofDays(expiresInDays));
        repository.persist(pat);
        audit.record(
                AuditService.PAT_CREATED,
                user.id.toString(),
                user.username,
                Map.of("pat_id", pat.id.toString(), "name", pat.name));
        return new Created(pat, token);
    }

    public List<PersonalAccessToken> list(UUID userId) {
        return repository.listUnrevoked(userId);
    }

    @Transactional
    public boolean revoke(User user, UUID id) {
        PersonalAccessToken pat = repository.findById(id);
        if (pat == null || !pat.userId.equals(user.id) || pat.revokedAt != null) {
            return false;
        }
        pat.revokedAt = Instant.now();
        audit.record(AuditService.PAT_REVOKED, user.id.toString(), user.username, Map.of("pat_id", id.toString()));
        return true;
    }

    /** Revokes by secret (RFC 7009); true when a live token was revoked. */
    @Transactional
    public boolean revokeByToken(String token) {
        return findLive(token)
                .map(pat -> {
                    PersonalAccessToken managed = repository.findById(pat.id);
                    managed.revokedAt = Instant.now();
                    audit.record(
                            AuditService.PAT_REVOKED,
                            managed.userId.toString(),
                            null,
                            Map.of("pat_id", managed.id.toString()));
                    return true;
                })
                .orElse(false);
    }

    /**
     * The live PAT with this secret. A malformed value or a bad checksum is refused without touching
     * the database.
     */
    @Transactional
    public Optional<PersonalAccessToken> findLive(String token) {
        if (!PersonalAccessTokens.isWellFormed(token)) {
            return Optional.empty();
        }
        byte[] hash = SecureTokens.sha256(token);
        Optional<PersonalAccessToken> found = repository.findByHash(hash);
        // the hash is the lookup key; compare again in constant time for defence in depth
        return found.filter(p -> Arrays.equals(p.tokenHash, hash) && p.usableAt(Instant.now()));
    }

    /** Records use, writing at most once per resolution per token (no write per request). */
    @Transactional
    public void touch(PersonalAccessToken pat) {
        Instant now = Instant.now();
        Instant last = lastWritten.getIfPresent(pat.id);
        if (last != null && last.plus(lastUsedResolution).isAfter(now)) {
            return;
        }
        if (pat.lastUsedAt != null && pat.lastUsedAt.plus(lastUsedResolution).isAfter(now)) {
            lastWritten.put(pat.id, pat.lastUsedAt);
            return;
        }
        lastWritten.put(pat.id, now);
        repository.markUsed(pat.id, now, now.minus(lastUsedResolution));
    }
}
