package dev.latch.auth.oauth2.authorize;

import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.config.AuthConfig;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Authorization codes: 256 random bits, kept as their SHA-256, single use, {@code code-ttl} (60 s) long, bound to
 * the client, the redirect URI, the PKCE challenge and the browser session that authorized them.
 */
@ApplicationScoped
public class AuthorizationCodes {

    /** A used or expired code is kept this long, so a late second use still revokes what the first issued. */
    private static final Duration KEEP_AFTER_EXPIRY = Duration.ofMinutes(10);

    private final AuthConfig config;
    private final AuthorizationCodeRepository codes;

    public AuthorizationCodes(AuthConfig config, AuthorizationCodeRepository codes) {
        this.config = config;
        this.codes = codes;
    }

    @Transactional
    public String issue(AuthorizationRequest request, BrowserSessionService.Current session) {
        Instant now = Instant.now();
        String code = SecureTokens.randomBase64Url(32);
        AuthorizationCode c = new AuthorizationCode();
        c.codeHash = SecureTokens.sha256(code);
        c.clientId = request.clientId();
        c.userId = session.user().id;
        c.browserSessionId = session.session().id;
        c.redirectUri = request.redirectUri();
        c.scope = request.scope();
        c.nonce = request.nonce();
        c.codeChallenge = request.codeChallenge();
        c.amr = session.session().amr;
        c.authTime = session.session().authTime;
        c.createdAt = now;
        c.expiresAt = now.plus(config.authorization().codeTtl());
        codes.persist(c);
        codes.deleteExpired(now.minus(KEEP_AFTER_EXPIRY));
        return code;
    }

    /** The outcome of presenting a code at the token endpoint. */
    public sealed interface Use permits Fresh, Reused, Unknown {}

    /** First use: the code, now marked used. */
    public record Fresh(AuthorizationCode code) implements Use {}

    /** Presented before: what its first use issued must be revoked. */
    public record Reused(AuthorizationCode code) implements Use {}

    public record Unknown() implements Use {}

    /** Marks the code used, in its own transaction, so that a concurrent second use sees it used. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Use use(String code) {
        byte[] hash = SecureTokens.sha256(code);
        if (codes.use(hash, Instant.now())) {
            return new Fresh(codes.findByHash(hash).orElseThrow());
        }
        Optional<AuthorizationCode> found = codes.findByHash(hash);
        return found.<Use>map(Reused::new).orElseGet(Unknown::new);
    }

    @Transactional
    public void recordFamily(AuthorizationCode code, UUID familyId) {
        codes.recordFamily(code.codeHash, familyId);
    }

    /** The refresh family a reused code's first exchange issued, if that exchange got so far. */
    @Transactional
    public Optional<UUID> familyOf(AuthorizationCode code) {
        return codes.findByHash(code.codeHash).map(c -> c.refreshFamilyId);
    }
}
