package dev.latch.auth.oauth2.logout;

import dev.latch.auth.audit.AuditService;
import dev.latch.auth.browser.BrowserSession;
import dev.latch.auth.browser.BrowserSessionService;
import dev.latch.auth.oauth2.ClientRegistry;
import dev.latch.auth.oauth2.authorize.AuthorizationCodeRepository;
import dev.latch.auth.session.RefreshTokenService;
import dev.latch.auth.user.User;
import dev.latch.auth.user.UserRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Ends a browser session at its logout: the session, the refresh-token families issued through it and its audit
 * event commit together; then every client that got tokens through it and has a back-channel logout URI is told.
 */
@ApplicationScoped
public class LogoutService {

    static final String REASON = "logout";

    private final BrowserSessionService sessions;
    private final RefreshTokenService refreshTokens;
    private final AuthorizationCodeRepository codes;
    private final ClientRegistry clients;
    private final UserRepository users;
    private final AuditService audit;
    private final BackchannelLogout backchannel;

    public LogoutService(
            BrowserSessionService sessions,
            RefreshTokenService refreshTokens,
            AuthorizationCodeRepository codes,
            ClientRegistry clients,
            UserRepository users,
            AuditService audit,
            BackchannelLogout backchannel) {
        this.sessions = sessions;
        this.refreshTokens = refreshTokens;
        this.codes = codes;
        this.clients = clients;
        this.users = users;
        this.audit = audit;
        this.backchannel = backchannel;
    }

    /**
     * Ends {@code session}, logged out at the request of {@code clientId} (null when the user confirmed it on the
     * page without naming a client); false when it had already ended.
     */
    public boolean end(BrowserSession session, String clientId) {
        Optional<Set<String>> ended = QuarkusTransaction.joiningExisting().call(() -> {
            if (!sessions.end(session.id)) {
                // still revoke what may remain: a family issued in a race with an earlier logout
                refreshTokens.revokeOfBrowserSession(session.id, REASON);
                return Optional.<Set<String>>empty();
            }
            Set<String> told = new LinkedHashSet<>(refreshTokens.revokeOfBrowserSession(session.id, REASON));
            told.addAll(codes.clientsOfBrowserSession(session.id));
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("browser_session_id", session.id.toString());
            if (clientId != null) {
                metadata.put("client_id", clientId);
            }
            Optional<User> user = users.findByIdOptional(session.userId);
            audit.record(
                    AuditService.SIGNOUT,
                    session.userId.toString(),
                    user.map(u -> u.username).orElse(null),
                    metadata);
            return Optional.of(told);
        });
        if (ended.isEmpty()) {
            return false;
        }
        List<ClientRegistry.Client> toTell = ended.get().stream()
                .map(clients::find)
                .flatMap(Optional::stream)
                .toList();
        backchannel.notify(toTell, session.userId, session.id);
        return true;
    }

    /** The session of this id, if it is still live and belongs to {@code userId}. */
    public Optional<BrowserSession> liveSessionOf(UUID sessionId, UUID userId) {
        return sessions.find(sessionId)
                .filter(s -> s.userId.equals(userId))
                .filter(s -> s.live(java.time.Instant.now()));
    }
}
