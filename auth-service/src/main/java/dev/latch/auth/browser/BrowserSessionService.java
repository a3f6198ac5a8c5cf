package dev.latch.auth.browser;

import dev.latch.auth.config.AuthConfig;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserRepository;
import dev.latch.common.security.SecureTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Browser sessions of the login page: the cookie holds a 256-bit secret, the table only its SHA-256. A session
 * counts only while it is unrevoked, unexpired and its user active, so disabling a user ends their logins at once.
 */
@ApplicationScoped
public class BrowserSessionService {

    private final AuthConfig config;
    private final BrowserSessionRepository sessions;
    private final UserRepository users;

    public BrowserSessionService(AuthConfig config, BrowserSessionRepository sessions, UserRepository users) {
        this.config = config;
        this.sessions = sessions;
        this.users = users;
    }

    /** A live session and its (active) user. */
    public record Current(BrowserSession session, User user) {}

    /** A new session, with the cookie value that opens it. */
    public record Started(BrowserSession session, String cookieValue) {

        public String setCookie() {
            return SessionCookie.of(cookieValue, session.expiresAt);
        }
    }

    @Transactional
    public Started start(User user, String amr, String ip, String userAgent) {
        Instant now = Instant.now();
        String secret = SecureTokens.randomBase64Url(32);
        BrowserSession s = new BrowserSession();
        s.id = UUID.randomUUID();
        s.tokenHash = SecureTokens.sha256(secret);
        s.userId = user.id;
        s.amr = amr;
        s.authTime = now;
        s.createdAt = now;
        s.expiresAt = now.plus(config.browserSession().ttl());
        s.ip = truncate(ip, 64);
        s.userAgent = truncate(userAgent, 512);
        sessions.persist(s);
        return new Started(s, secret);
    }

    /** The live session of this cookie value; empty for none, an unknown, ended or expired one, or a disabled user. */
    @Transactional
    public Optional<Current> current(String cookieValue) {
        if (cookieValue == null || cookieValue.isEmpty() || cookieValue.length() > 128) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return sessions.findByTokenHash(SecureTokens.sha256(cookieValue))
                .filter(s -> s.live(now))
                .flatMap(s -> users.findActive(s.userId).map(u -> new Current(s, u)));
    }

    /** Ends the session; false when it had already ended. */
    @Transactional
    public boolean end(UUID sessionId) {
        return sessions.revoke(sessionId, Instant.now());
    }

    @Transactional
    public Optional<BrowserSession> find(UUID sessionId) {
        return sessions.findByIdOptional(sessionId);
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
